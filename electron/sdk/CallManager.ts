/**
 * Video calls (seed §6): request → reply → start → finish. A user is in at most one call, as
 * caller or callee; the callee rejecting sends 100104; accepting allocates a room id and starts
 * the call; any side or the server may finish it; unanswered requests end after a timeout.
 */
import { CodedError, Codes, SignalingCodes } from '../../shared/codes';
import { VideoCallEvent } from '../../shared/protocol/limits';
import type { Notifications } from '../../shared/protocol/messages';
import type { ActiveCall, SdkEvents } from './types';

interface Call extends ActiveCall {
  timer: NodeJS.Timeout | null;
}

export interface CallContext {
  isOnline(userId: number): boolean;
  push(userId: number, notification: 'videoCallEvent', data: Notifications['videoCallEvent']): void;
  emit(ev: SdkEvents['videoCall']): void;
  allocateRoomId(): number;
  requestHook(req: { srcUserId: number; targetUserId: number; flags: number; param: number; userStr: string }): Promise<number>;
}

export class CallManager {
  private readonly byUser = new Map<number, Call>();

  constructor(
    private readonly ctx: CallContext,
    private readonly timeoutMs: number,
  ) {}

  list(): ActiveCall[] {
    return [...new Set(this.byUser.values())].map(({ timer: _t, ...c }) => ({ ...c }));
  }

  callOf(userId: number): ActiveCall | null {
    const c = this.byUser.get(userId);
    if (!c) return null;
    const { timer: _t, ...rest } = c;
    return rest;
  }

  async request(callerId: number, calleeId: number, flags: number, param: number, userStr: string): Promise<void> {
    if (callerId === calleeId) throw new CodedError(Codes.BAD_REQUEST, 'cannot call yourself');
    if (!this.ctx.isOnline(calleeId)) throw new CodedError(SignalingCodes.USER_OFFLINE, `user ${calleeId} is not online`);
    if (this.byUser.has(callerId)) throw new CodedError(SignalingCodes.CALL_BUSY, 'you are already in a call');
    if (this.byUser.has(calleeId)) throw new CodedError(SignalingCodes.CALL_BUSY, `user ${calleeId} is already in a call`);
    const code = await this.ctx.requestHook({ srcUserId: callerId, targetUserId: calleeId, flags, param, userStr });
    if (code !== 0) {
      // Seed §2.15: the refusal shows in the caller's Reply (2) event, with the hook's code.
      if (this.ctx.isOnline(callerId))
        this.ctx.push(callerId, 'videoCallEvent', { eventType: VideoCallEvent.REPLY, userId: calleeId, errorCode: code, flags, param, userStr });
      throw new CodedError(code, 'the business server refused the call');
    }
    // Re-check after the (async) hook.
    if (this.byUser.has(callerId) || this.byUser.has(calleeId)) throw new CodedError(SignalingCodes.CALL_BUSY, 'already in a call');
    if (!this.ctx.isOnline(calleeId)) throw new CodedError(SignalingCodes.USER_OFFLINE, `user ${calleeId} is not online`);
    const call: Call = { callerId, calleeId, state: 'ringing', roomId: null, startedAt: Date.now(), flags, param, userStr, timer: null };
    call.timer = setTimeout(() => this.end(call, SignalingCodes.CALL_TIMEOUT, 0), this.timeoutMs);
    this.byUser.set(callerId, call);
    this.byUser.set(calleeId, call);
    this.ctx.push(calleeId, 'videoCallEvent', { eventType: VideoCallEvent.REQUEST, userId: callerId, errorCode: 0, flags, param, userStr });
    this.ctx.emit({ eventType: VideoCallEvent.REQUEST, srcUserId: callerId, targetUserId: calleeId, errorCode: 0, flags, param, userStr });
  }

  reply(calleeId: number, callerId: number, errorCode: number, flags: number, param: number, userStr: string): void {
    const call = this.byUser.get(calleeId);
    if (!call || call.calleeId !== calleeId || call.callerId !== callerId || call.state !== 'ringing') {
      throw new CodedError(SignalingCodes.CALL_NOT_FOUND, `no call request from user ${callerId}`);
    }
    this.ctx.push(callerId, 'videoCallEvent', { eventType: VideoCallEvent.REPLY, userId: calleeId, errorCode, flags, param, userStr });
    this.ctx.emit({ eventType: VideoCallEvent.REPLY, srcUserId: callerId, targetUserId: calleeId, errorCode, flags, param, userStr });
    if (errorCode !== 0) {
      this.drop(call);
      return;
    }
    if (call.timer) clearTimeout(call.timer);
    call.timer = null;
    call.state = 'active';
    call.roomId = this.ctx.allocateRoomId();
    const start = { eventType: VideoCallEvent.START, errorCode: 0, flags: call.flags, param: call.roomId, userStr: call.userStr };
    this.ctx.push(callerId, 'videoCallEvent', { ...start, userId: calleeId });
    this.ctx.push(calleeId, 'videoCallEvent', { ...start, userId: callerId });
    this.ctx.emit({ ...start, srcUserId: callerId, targetUserId: calleeId });
  }

  /** Either side (or the server, via videoCallControl) ends the call of `userId`. */
  finish(userId: number, errorCode = 0, otherUserId?: number): void {
    const call = this.byUser.get(userId);
    if (!call || (otherUserId !== undefined && otherUserId !== 0 && otherUserId !== call.callerId && otherUserId !== call.calleeId)) {
      throw new CodedError(SignalingCodes.CALL_NOT_FOUND, `user ${userId} is not in a call`);
    }
    this.end(call, errorCode, call.param, userId);
  }

  /** Seed §8.2: a party leaving the call's room finishes the call for both. */
  leftRoom(userId: number, roomId: number, reason = 0): void {
    const call = this.byUser.get(userId);
    if (call && call.state === 'active' && call.roomId === roomId) this.end(call, reason, call.param);
  }

  /** A user logged out: end their call, if any, telling the other side. */
  userGone(userId: number, reason: number): void {
    const call = this.byUser.get(userId);
    if (call) this.end(call, reason, call.param, userId);
  }

  close(): void {
    for (const c of this.byUser.values()) if (c.timer) clearTimeout(c.timer);
    this.byUser.clear();
  }

  /** `endedBy`: the user who ended it (hang-up, logout); 0 = the server (timeout). */
  private end(call: Call, errorCode: number, param: number, endedBy = 0): void {
    if (this.byUser.get(call.callerId) !== call) return;
    this.drop(call);
    const ev = { eventType: VideoCallEvent.FINISH, errorCode, flags: call.flags, param: call.roomId ?? param, userStr: call.userStr };
    if (this.ctx.isOnline(call.callerId)) this.ctx.push(call.callerId, 'videoCallEvent', { ...ev, userId: call.calleeId });
    if (this.ctx.isOnline(call.calleeId)) this.ctx.push(call.calleeId, 'videoCallEvent', { ...ev, userId: call.callerId });
    this.ctx.emit({ ...ev, srcUserId: call.callerId, targetUserId: call.calleeId, endedBy });
  }

  private drop(call: Call): void {
    if (call.timer) clearTimeout(call.timer);
    call.timer = null;
    this.byUser.delete(call.callerId);
    this.byUser.delete(call.calleeId);
  }
}
