/**
 * Every method a client can call, in one table (modeled on electron/gateway/methods.ts): a zod
 * schema for its data and a handler that gets the parsed data typed by `z.infer`. Built-in rows
 * are checked complete against shared/protocol/methods.ts at compile time; methods registered by
 * business code (sdk.registerClientMethod) are served after them.
 */
import { z } from 'zod';
import { CodedError, SignalingCodes } from '../../shared/codes';
import type { BuiltInMethodName } from '../../shared/protocol/methods';
import type { ClientSide, ClientState } from '../sdk';
import type { MediaRequests } from './media/MediaRequests';
import { mediaRequestSchemas } from './media/mediaSchemas';
import { requestSchemas } from './requestSchemas';

/** What a handler works with: the caller's state and the components behind the methods. */
export interface MethodContext {
  readonly st: ClientState;
  readonly client: ClientSide;
  readonly media: MediaRequests | null;
}

export interface MethodRow<S extends z.ZodType = z.ZodType> {
  readonly schema: S;
  readonly handler: (ctx: MethodContext, data: z.infer<S>) => unknown;
}

function row<S extends z.ZodType>(schema: S, handler: (ctx: MethodContext, data: z.infer<S>) => unknown): MethodRow<S> {
  return { schema, handler };
}

function media(ctx: MethodContext): MediaRequests {
  if (!ctx.media) throw new CodedError(SignalingCodes.MEDIA_UNAVAILABLE, 'no media node is plugged in');
  return ctx.media;
}

const q = requestSchemas;
const m = mediaRequestSchemas;

export const clientMethods: { readonly [M in BuiltInMethodName]: MethodRow } = {
  ping: row(q.ping, () => ({ serverTime: Date.now() })),
  login: row(q.login, (c, d) => c.client.login(c.st, d)),
  logout: row(q.logout, (c) => c.client.logout(c.st)),
  enterRoom: row(q.enterRoom, async (c, d) => {
    const result = await c.client.enterRoom(c.st, d);
    // Producers already in the room, right after the response (protocol §2).
    if (c.media) setImmediate(() => c.media?.announceExisting(c.st, result.roomId));
    return result;
  }),
  leaveRoom: row(q.leaveRoom, (c) => c.client.leaveRoom(c.st)),
  sendTextMessage: row(q.sendTextMessage, (c, d) => c.client.sendTextMessage(c.st, d)),
  sendSDKFilterData: row(q.sendSDKFilterData, (c, d) => c.client.sendSDKFilterData(c.st, d)),
  transBuffer: row(q.transBuffer, (c, d) => c.client.transBuffer(c.st, d)),
  transferBegin: row(q.transferBegin, (c, d) => c.client.transferBegin(c.st, d)),
  transferChunk: row(q.transferChunk, (c, d) => c.client.transferChunk(c.st, d)),
  transferStatus: row(q.transferStatus, (c, d) => c.client.transferStatus(c.st, d)),
  transferCancel: row(q.transferCancel, (c, d) => c.client.transferCancel(c.st, d)),
  transferResume: row(q.transferResume, (c, d) => c.client.transferResume(c.st, d)),
  transferAck: row(q.transferAck, (c, d) => c.client.transferAck(c.st, d)),
  videoCall: row(q.videoCall, (c, d) => c.client.videoCall(c.st, d)),
  userInfoControl: row(q.userInfoControl, (c, d) => c.client.userInfoControl(c.st, d)),
  getUserInfo: row(q.getUserInfo, (c, d) => c.client.getUserInfo(c.st, d)),
  getOnlineFriends: row(q.getOnlineFriends, (c) => c.client.getOnlineFriends(c.st)),
  getRouterRtpCapabilities: row(m.getRouterRtpCapabilities, (c) => media(c).run(c.st, 'getRouterRtpCapabilities', {})),
  createWebRtcTransport: row(m.createWebRtcTransport, (c, d) => media(c).run(c.st, 'createWebRtcTransport', d)),
  connectWebRtcTransport: row(m.connectWebRtcTransport, (c, d) => media(c).run(c.st, 'connectWebRtcTransport', d)),
  restartIce: row(m.restartIce, (c, d) => media(c).run(c.st, 'restartIce', d)),
  produce: row(m.produce, (c, d) => media(c).run(c.st, 'produce', d)),
  consume: row(m.consume, (c, d) => media(c).run(c.st, 'consume', d)),
  resumeConsumer: row(m.resumeConsumer, (c, d) => media(c).run(c.st, 'resumeConsumer', d)),
  pauseProducer: row(m.pauseProducer, (c, d) => media(c).run(c.st, 'pauseProducer', d)),
  resumeProducer: row(m.resumeProducer, (c, d) => media(c).run(c.st, 'resumeProducer', d)),
  closeProducer: row(m.closeProducer, (c, d) => media(c).run(c.st, 'closeProducer', d)),
};
