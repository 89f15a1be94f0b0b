/**
 * Who is online in the whole cluster, read synchronously: this node's sessions (authoritative,
 * with their sockets) and a replica of every other node's, kept current over the bus (Redis holds
 * the truth for a node that starts or rejoins). A replica session is a plain SDK Session whose
 * link forwards to its node, so delivery code needs no cluster branch.
 */
import { Session, type RoomRole, type SessionTable } from '../sdk';
import { RemoteLink, type FrameSender } from './RemoteLink';

/** A session as other nodes see it (the Redis registry's value, the bus's `up` message). */
export interface SessionSnapshot {
  userId: number;
  userName: string;
  nickName: string;
  userLevel: number;
  guest: boolean;
  ip: string;
  userAgent: string;
  loginAt: number;
  roomId: number | null;
  roomName: string;
  role: RoomRole | null;
  flags: number;
  strUserId: string;
  strParam: string;
  node: string;
}

export interface LocalSessionEvents {
  added(s: Session): void;
  removed(s: Session): void;
}

export class ClusterSessionTable implements SessionTable {
  private readonly local = new Map<number, Session>();
  private readonly remote = new Map<number, Session>();

  constructor(
    private readonly events: LocalSessionEvents,
    private readonly sendFrame: FrameSender,
  ) {}

  get(userId: number): Session | undefined {
    return this.local.get(userId) ?? this.remote.get(userId);
  }

  has(userId: number): boolean {
    return this.local.has(userId) || this.remote.has(userId);
  }

  add(session: Session): void {
    this.local.set(session.userId, session);
    this.dropRemote(session.userId);
    this.events.added(session);
  }

  remove(session: Session): boolean {
    if (this.local.get(session.userId) === session) {
      this.local.delete(session.userId);
      this.events.removed(session);
      return true;
    }
    if (this.remote.get(session.userId) === session) {
      this.dropRemote(session.userId);
      return true;
    }
    return false;
  }

  *values(): IterableIterator<Session> {
    yield* this.local.values();
    for (const s of this.remote.values()) if (!this.local.has(s.userId)) yield s;
  }

  get size(): number {
    return this.local.size + this.remote.size;
  }

  get localCount(): number {
    return this.local.size;
  }

  /** This node's own sessions. */
  localSessions(): Session[] {
    return [...this.local.values()];
  }

  isLocal(userId: number): boolean {
    return this.local.has(userId);
  }

  localSession(userId: number): Session | undefined {
    return this.local.get(userId);
  }

  /** Puts (or replaces) another node's session in the replica. Ignored while this node holds the user. */
  putRemote(snap: SessionSnapshot): Session | null {
    if (this.local.has(snap.userId)) return null;
    this.dropRemote(snap.userId);
    const link = new RemoteLink(snap.node, snap.userId, snap.ip, snap.userAgent, this.sendFrame);
    const s = new Session(link, snap.userId, snap.userName, snap.nickName, snap.userLevel, snap.guest);
    Object.assign(s, { loginAt: snap.loginAt, roomId: snap.roomId, role: snap.role, flags: snap.flags, strUserId: snap.strUserId, strParam: snap.strParam });
    this.remote.set(snap.userId, s);
    return s;
  }

  remoteSession(userId: number): Session | undefined {
    return this.remote.get(userId);
  }

  /** Forgets a replica session (optionally only when `node` holds it); returns it. */
  dropRemote(userId: number, node?: string): Session | undefined {
    const s = this.remote.get(userId);
    if (!s || (node !== undefined && s.link.remoteNode !== node)) return undefined;
    this.remote.delete(userId);
    s.link.close(1000, 'moved');
    return s;
  }

  /** The replica sessions one node holds. */
  remoteOf(node: string): Session[] {
    return [...this.remote.values()].filter((s) => s.link.remoteNode === node);
  }
}

export function snapshotOf(s: Session, node: string, roomName: string): SessionSnapshot {
  return {
    userId: s.userId,
    userName: s.userName,
    nickName: s.nickName,
    userLevel: s.userLevel,
    guest: s.guest,
    ip: s.link.ip,
    userAgent: s.link.userAgent ?? '',
    loginAt: s.loginAt,
    roomId: s.roomId,
    roomName,
    role: s.role,
    flags: s.flags,
    strUserId: s.strUserId,
    strParam: s.strParam,
    node,
  };
}
