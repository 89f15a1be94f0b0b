/** Wire validation of the built-in client requests besides the media rows (protocol.md §2 + docs/protocol.md). */
import { z } from 'zod';
import { ProtocolLimits } from '../../shared/protocol/limits';

const int = z.number().int();
const uid = int.min(-1).max(4_294_967_295);
const u32 = int.min(0).max(4_294_967_295);
const b64 = z.string();
const empty = z.object({}).passthrough();
const name = z.string().max(ProtocolLimits.MAX_NAME_CHARS);
const taskId = int.min(1);

export const requestSchemas = {
  ping: empty,
  login: z.object({ userName: name.min(1), password: name, strParam: z.string().max(ProtocolLimits.MAX_USER_STR_CHARS).optional() }),
  logout: empty,
  enterRoom: z.object({
    roomId: int.min(1).max(4_294_967_295).optional(),
    roomName: name.optional(),
    password: name.optional(),
    role: z.enum(['interactive', 'audience']).optional(),
  }),
  leaveRoom: empty,
  sendTextMessage: z.object({ targetUserId: uid, secret: z.boolean().default(false), text: z.string() }),
  sendSDKFilterData: z.object({ data: b64 }),
  transBuffer: z.object({ targetUserId: uid, data: b64 }),
  transferBegin: z.object({
    kind: z.enum(['bufferEx', 'file']),
    targetUserId: uid,
    size: int.min(0),
    wParam: u32.optional(),
    lParam: u32.optional(),
    flags: u32.optional(),
    fileName: z.string().max(255).optional(),
  }),
  transferChunk: z.object({ taskId, offset: int.min(0), data: b64 }),
  transferStatus: z.object({ taskId }),
  transferCancel: z.object({ taskId }),
  transferResume: z.object({ taskId, offset: int.min(0) }),
  transferAck: z.object({ taskId }),
  videoCall: z.object({
    eventType: int,
    userId: uid,
    errorCode: u32.optional(),
    flags: u32.optional(),
    param: u32.optional(),
    userStr: z.string().max(ProtocolLimits.MAX_USER_STR_CHARS).optional(),
  }),
  userInfoControl: z.object({
    userId: uid,
    ctrlCode: u32,
    wParam: u32.optional(),
    lParam: u32.optional(),
    strValue: z.string().max(ProtocolLimits.MAX_USER_STR_CHARS).optional(),
  }),
  getUserInfo: z.object({ userId: uid, infoId: u32 }),
  getOnlineFriends: empty,
} as const;
