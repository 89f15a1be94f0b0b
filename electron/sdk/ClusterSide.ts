/**
 * The SDK's side of a cluster (docs/cluster.md): what it does for other nodes (the logouts of a
 * dead node's users; replies and hang-ups of their users in calls this node runs) and what it
 * hands to them (a reply or hang-up for a call the other party's node runs).
 */
import { CodedError, SignalingCodes } from '../../shared/codes';
import type { CallManager } from './CallManager';
import type { EventQueue } from './EventQueue';
import { runHook } from './hookRunner';
import type { Session } from './Session';
import type { SessionTable } from './SessionTable';
import type { TransferManager } from './TransferManager';
import type { ClientMethodHandler, ClusterPort, ForwardedCall, PrepareEnterRoomRequest, PrepareEnterRoomResult, RoomRole } from './types';

export interface ClusterSideDeps {
  cluster: ClusterPort | null;
  sessions: SessionTable;
  calls: CallManager;
  events: EventQueue;
  methods: ReadonlyMap<string, ClientMethodHandler>;
  settings: { hookTimeoutMs: number };
  transfers: TransferManager;
  /** This node's prepareEnterRoom hook (the business layer's admission). */
  admitHere(req: PrepareEnterRoomRequest): Promise<PrepareEnterRoomResult>;
}

/** What a receiver asks about a download (ClientSide), forwarded to the node sending it. */
export type TransferMethod = 'transferAck' | 'transferResume' | 'transferCancel' | 'transferStatus';

/** Runs a receiver's request about a download on the node holding the task (the user's own, or the sender's in a cluster). */
export async function runTransferMethod(
  t: TransferManager,
  method: string,
  userId: number,
  data: { taskId?: unknown; offset?: unknown },
): Promise<Record<string, unknown>> {
  const taskId = Number(data.taskId);
  if (method === 'transferAck') await t.ack(userId, taskId);
  else if (method === 'transferResume') t.resume(userId, taskId, Number(data.offset));
  else if (method === 'transferCancel') await t.cancel(userId, taskId);
  else if (method === 'transferStatus') return t.status(userId, taskId);
  else throw new CodedError(SignalingCodes.UNKNOWN_METHOD, `unknown transfer method "${method}"`);
  return {};
}

export class ClusterSide {
  private readonly atRoomOwner = new Set<string>();

  constructor(private readonly d: ClusterSideDeps) {}

  /** These registered client methods run on the node that owns the caller's room (mic seats: one owner decides). */
  runAtRoomOwner(methods: readonly string[]): void {
    for (const m of methods) this.atRoomOwner.add(m);
  }

  /** A registered method of a room another node owns runs there; null when it runs here. */
  async forwardMethod(s: Session, method: string, data: Record<string, unknown>): Promise<Record<string, unknown> | null> {
    const { cluster } = this.d;
    if (!cluster || !this.atRoomOwner.has(method) || s.roomId === null) return null;
    const owner = await cluster.ownerOf(s.roomId);
    return owner === null ? null : cluster.invokeRemote(owner, method, s.userId, data);
  }

  /** Another node's user calls a registered method of a room this node owns. */
  async serveMethod(method: string, userId: number, data: Record<string, unknown>): Promise<Record<string, unknown>> {
    const handler = this.d.methods.get(method);
    if (!handler) throw new CodedError(SignalingCodes.UNKNOWN_METHOD, `unknown method "${method}"`);
    return (await runHook(method, (d: Record<string, unknown>) => handler(userId, d), data, this.d.settings.hookTimeoutMs)) ?? {};
  }

  /**
   * A login of `userId` may go ahead: always on a single host; in a cluster once this node holds
   * the user's short login claim. False: another node's login is under way (its session shows
   * here within moments; the caller looks again after a short wait).
   */
  async claimLogin(userId: number): Promise<boolean> {
    if (!this.d.cluster || (await this.d.cluster.claimLogin(userId))) return true;
    await new Promise((r) => setTimeout(r, 50));
    return false;
  }

  /** Users another node held and lost (it died): their logout events go out here, once (the gateway sends the notices). */
  reportLogouts(users: readonly { userId: number; userName: string; strUserId: string }[], reason: number): void {
    for (const u of users) this.d.events.emit('logout', { userId: u.userId, reason, userName: u.userName, strUserId: u.strUserId });
  }

  /**
   * A reply or hang-up for a call this node does not run, while the other party is on another
   * node: that node runs the call (it took the request). False when this is no cluster matter.
   */
  async forward(call: ForwardedCall): Promise<boolean> {
    const node = this.d.sessions.get(call.otherUserId)?.link.remoteNode;
    if (!this.d.cluster || node === undefined || this.d.calls.callOf(call.userId)) return false;
    await this.d.cluster.callRemote(node, call);
    return true;
  }

  /** Another node's user replies to or hangs up a call this node runs. */
  serve(call: ForwardedCall): void {
    if (call.op === 'reply') this.d.calls.reply(call.userId, call.otherUserId, call.errorCode, call.flags, call.param, call.userStr);
    else this.d.calls.finish(call.userId, call.errorCode, call.otherUserId);
  }

  /** Another node's user logged out: a call this node runs with them ends, and what this node was sending them. */
  userGone(userId: number, reason: number): void {
    this.d.calls.userGone(userId, reason);
    this.d.transfers.userGone(userId).catch(() => undefined);
  }

  /** A user's request about a download another node sends it goes to that node; null: the task is this node's (or unknown). */
  async forwardTransfer(s: Session, method: TransferMethod, data: { taskId: number }): Promise<Record<string, unknown> | null> {
    const node = this.d.cluster?.transferNodeOf(data.taskId);
    return node === undefined ? null : this.d.cluster!.transferRemote(node, method, s.userId, data);
  }

  /** Another node's user about a download this node sends it. */
  serveTransfer(method: string, userId: number, data: Record<string, unknown>): Promise<Record<string, unknown>> {
    return runTransferMethod(this.d.transfers, method, userId, data);
  }

  /**
   * prepareEnterRoom runs where the room is owned: that node's business layer holds what an
   * operator or a client created the room with (password, capacity, seats). Here on a single
   * host, and for a room nobody owns yet (this node becomes its owner).
   */
  async admit(req: PrepareEnterRoomRequest): Promise<PrepareEnterRoomResult> {
    const { cluster } = this.d;
    const owner = cluster ? await cluster.ownerOf(req.roomId) : null;
    return owner === null ? this.d.admitHere(req) : cluster!.admitRemote(owner, req);
  }

  /** Another node's user enters a room this node owns. */
  serveAdmit(req: PrepareEnterRoomRequest): Promise<PrepareEnterRoomResult> {
    return this.d.admitHere(req);
  }

  /** Another node's user entered a room: its admission here (if this node admitted it) becomes membership. */
  enteredRoom(userId: number, roomId: number, role: RoomRole): void {
    this.d.events.emit('remoteMemberEntered', { userId, roomId, role });
  }

  /** Another node's user left a room: the call this node runs in that room ends, the room's seats here let go. */
  leftRoom(userId: number, roomId: number, reason: number): void {
    this.d.calls.leftRoom(userId, roomId, reason);
    this.d.events.emit('remoteMemberLeft', { userId, roomId });
  }
}
