/**
 * This host as one node of a cluster (docs/cluster.md): the session and room tables the SDK
 * reads (local state authoritative, other nodes' replicated), the Redis registry other nodes
 * bootstrap from, the bus that carries notifications to users on other nodes, kicks and room
 * removals as requests to the node holding the user, ids no two nodes share, heartbeats, and the
 * logout (reason 100) of a dead node's users by the one survivor that wins the report.
 */
import type { ChainableCommander } from 'ioredis';
import type { Logger } from 'pino';
import { CodedError, Codes, SignalingCodes } from '../../shared/codes';
import type { NotificationName, Notifications } from '../../shared/protocol/messages';
import type {
  ActiveCall,
  AnyChatSdk,
  ClientState,
  ClusterPort,
  ForwardedCall,
  KickOptions,
  PrepareEnterRoomRequest,
  PrepareEnterRoomResult,
  Session,
} from '../sdk';
import type { MediaForwarder, MediaRowName } from '../signaling/media/MediaRequests';
import { RemoteProducers } from './RemoteProducers';
import { RemoteTransfers } from './RemoteTransfers';
import { ClusterBus, type BusMessage } from './ClusterBus';
import { ClusterRoomTable, type RoomChange } from './ClusterRoomTable';
import { ClusterSessionTable, snapshotOf, type SessionSnapshot } from './ClusterSessionTable';
import { NodeRegistry, type NodeFigures, type NodeInfo } from './NodeRegistry';
import { FrameBatcher } from './FrameBatcher';

export const SESSIONS_KEY = 'anychat:sessions';
const ROOM_OWNER_KEY = 'anychat:roomowner';
const reapingKey = (node: string) => `anychat:reaping:${node}`;
const reapedKey = (node: string) => `anychat:reaped:${node}`;

/** Deletes a user's registry entry only while it is still this node's, then announces the logout. */
const DROP_SESSION_SCRIPT = `
local v = redis.call('HGET', KEYS[1], ARGV[1])
if v and cjson.decode(v).node == ARGV[2] then redis.call('HDEL', KEYS[1], ARGV[1]) end
redis.call('PUBLISH', KEYS[2], ARGV[3])
return 1`;

/**
 * A node may log a user in unless another node holds the user (its registry entry; the replica
 * here shows it within moments) or is logging it in right now (the claim, dropped when the
 * session is announced, else gone after 2 s).
 */
const CLAIM_LOGIN_SCRIPT = `
local v = redis.call('HGET', KEYS[1], ARGV[1])
if v and cjson.decode(v).node ~= ARGV[2] then return 0 end
if redis.call('SET', KEYS[2], ARGV[2], 'PX', 2000, 'NX') then return 1 end
return 0`;
const loginClaimKey = (userId: number) => `anychat:login:${userId}`;

/** Room name → room id, for rooms with members or entries under way. */
const ROOM_NAMES_KEY = 'anychat:roomnames';
/** Prefix of each room's member set: members, and users entering (docs/cluster.md). */
const ROOM_MEMBERS_PREFIX = 'anychat:roommembers:';

/**
 * Entering by name: the room holding the name, or (with a proposed id) the new room the name now
 * names; the user is one of its members from here on, so the room cannot end before it joins.
 * With proposed id 0 a free name is left free and 0 returned.
 */
const CLAIM_NAME_SCRIPT = `
local id = redis.call('HGET', KEYS[1], ARGV[1])
if not id then
  if ARGV[2] == '0' then return 0 end
  id = ARGV[2]
  redis.call('HSET', KEYS[1], ARGV[1], id)
end
redis.call('SADD', ARGV[4] .. id, ARGV[3])
return tonumber(id)`;

/**
 * A room created ahead of its members takes its name (unless another room has it: that id is
 * returned) and is owned by the creating node; the marker member `held` keeps both until the
 * room ends.
 */
const HOLD_NAME_SCRIPT = `
local id = redis.call('HGET', KEYS[1], ARGV[1])
if id and id ~= ARGV[2] then return tonumber(id) end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('SADD', ARGV[3] .. ARGV[2], 'held')
redis.call('HSETNX', KEYS[2], ARGV[2], ARGV[4])
redis.call('HSET', KEYS[3], ARGV[2], ARGV[1])
return tonumber(ARGV[2])`;
/** roomId → name of the rooms held (HOLD_NAME_SCRIPT), so a dead node's holds can be let go. */
const ROOM_HELD_KEY = 'anychat:roomheld';
const HELD = 'held';

/** A member leaves (or gives up an entry); the last one out frees the room's name and media owner. */
const LEAVE_ROOM_SCRIPT = `
local k = ARGV[4] .. ARGV[1]
redis.call('SREM', k, ARGV[2])
if redis.call('SCARD', k) > 0 then return 0 end
redis.call('HDEL', KEYS[2], ARGV[1])
if ARGV[3] ~= '' and redis.call('HGET', KEYS[1], ARGV[3]) == ARGV[1] then redis.call('HDEL', KEYS[1], ARGV[3]) end
return 1`;

export type ClusterSdk = Pick<AnyChatSdk, 'kickUser' | 'removeFromRoom' | 'listCalls' | 'remote'>;

/** This node's media rows, as the cluster serves them to users of other nodes in rooms it owns. */
export interface ClusterMedia {
  runHere(st: ClientState, row: MediaRowName, data: unknown): Promise<unknown>;
  announceHere(st: ClientState, roomId: number): void;
  releaseUser(userId: number): void;
}

export interface ClusterNodeOptions {
  nodeId: string;
  redisUrl: string;
  logger: Logger;
  /** The node's public URL, read at each heartbeat. */
  url(): string;
  /** Producers on this node's media node, read at each heartbeat. */
  mediaLoad(): number;
}

export class ClusterNode {
  readonly sessions: ClusterSessionTable;
  readonly rooms: ClusterRoomTable;
  readonly port: ClusterPort;
  /** Users another node logged out for this one while it was down (the journal skips them). */
  readonly alreadyClosed = new Set<number>();
  private readonly frames: FrameBatcher;
  private registry!: NodeRegistry;
  private sdk: ClusterSdk | null = null;
  private media: ClusterMedia | null = null;
  private files: { delete(fileId: string): Promise<boolean> } | null = null;
  /** Names this node holds for its created rooms (roomId → name), written again after Redis comes back empty. */
  private readonly holds = new Map<number, string>();
  /** Which node owns each room's media (Redis is the truth; this caches it while the room lives). */
  private readonly owners = new Map<number, string>();
  private readonly remoteProducers = new RemoteProducers();
  private readonly remoteTransfers = new RemoteTransfers();
  private readonly userListeners = new Set<(userId: number) => void>();
  private readonly roomListeners = new Set<(roomId: number) => void>();
  /** Media rows of this node's users in rooms another node owns go there. */
  readonly mediaForwarder: MediaForwarder;

  private constructor(
    private readonly o: ClusterNodeOptions,
    private readonly bus: ClusterBus,
  ) {
    const { nodeId } = o;
    this.frames = new FrameBatcher((node, items) => this.bus.background(this.bus.send(node, 'frames', { items }), 'frames'));
    bus.beforePublish = () => this.frames.flush();
    this.sessions = new ClusterSessionTable({ added: (s) => this.announceUp(s), removed: (s) => this.announceDown(s) }, (node, userId, frame) =>
      this.frames.add(node, userId, frame),
    );
    this.rooms = new ClusterRoomTable(
      {
        claimName: async (roomName, userId, proposedId) =>
          Number(await this.bus.redis.eval(CLAIM_NAME_SCRIPT, 1, ROOM_NAMES_KEY, roomName, String(proposedId), String(userId), ROOM_MEMBERS_PREFIX)),
        claimId: async (roomId, userId) => void (await this.bus.redis.sadd(ROOM_MEMBERS_PREFIX + roomId, String(userId))),
        release: (roomId, roomName, userId) => this.bus.background(this.bus.redis.eval(...this.leaveRoomArgs(roomId, roomName, userId)), 'release room'),
        caughtUp: () => this.bus.caughtUp(),
      },
      (c) => this.announceRoomChange(c),
    );
    this.port = {
      nodeId,
      kickRemote: (node, userId, opts) => this.kickRemote(node, userId, opts),
      removeFromRoomRemote: async (node, userId, reason) => (await this.bus.request(node, 'removeFromRoom', { userId, reason })) === true,
      callRemote: async (node, call) => void (await this.bus.request(node, 'call', { call })),
      ownerOf: (roomId) => this.ownerOf(roomId),
      claimLogin: async (userId) => (await this.bus.redis.eval(CLAIM_LOGIN_SCRIPT, 2, SESSIONS_KEY, loginClaimKey(userId), String(userId), nodeId)) === 1,
      invokeRemote: async (node, method, userId, data) => (await this.bus.request(node, 'method', { method, userId, data })) as Record<string, unknown>,
      transferNodeOf: (taskId) => this.remoteTransfers.nodeOf(taskId),
      transferRemote: async (node, method, userId, data) => (await this.bus.request(node, 'transfer', { method, userId, data })) as Record<string, unknown>,
      admitRemote: async (node, req) => (await this.bus.request(node, 'admit', { req })) as PrepareEnterRoomResult,
      holdRoomName: async (roomName, roomId) => {
        const holder = Number(await this.bus.redis.eval(...this.holdArgs(roomName, roomId)));
        if (holder === roomId) this.holds.set(roomId, roomName);
        return holder;
      },
      releaseRoomName: (roomName, roomId) => {
        this.holds.delete(roomId);
        const tx = this.bus.redis
          .multi()
          .eval(...this.leaveRoomArgs(roomId, roomName, HELD))
          .hdel(ROOM_HELD_KEY, String(roomId));
        this.bus.background(tx.exec(), 'release room name');
      },
    };
    bus.on('up', (m) => this.onUp(m.snap as SessionSnapshot));
    bus.on('down', (m) => {
      if (this.sessions.dropRemote(m.userId as number, m.from)) this.sdk?.remote.userGone(m.userId as number, Codes.LOGOUT_NORMAL);
      this.touched(m.userId as number);
    });
    bus.on('room', (m) => this.onRoomChange(m.change as RoomChange));
    bus.on('frames', (m) => this.deliver(m.from, m.items as [number[], string][]));
    bus.on('kick', (m) => this.need().kickUser(m.userId as number, m.reason ? { reason: m.reason as string } : {}));
    bus.on('removeFromRoom', (m) => this.need().removeFromRoom(m.userId as number, m.reason as number));
    bus.on('nodeDown', (m: BusMessage) => this.dropNode(m.node as string));
    bus.on('calls', () => this.need().listCalls());
    bus.on('call', (m) => this.need().remote.serve(m.call as ForwardedCall));
    bus.on('roster', (m) => this.applyRoster(m.from, m.sessions as SessionSnapshot[]));
    bus.on('rosterRequest', () => this.bus.background(this.broadcastRoster(), 'roster'));
    bus.onReconnect(() => this.bus.background(this.resync(), 'resync'));
    bus.on('transfer', (m) => this.need().remote.serveTransfer(m.method as string, m.userId as number, m.data as Record<string, unknown>));
    bus.on('admit', (m) => this.need().remote.serveAdmit(m.req as PrepareEnterRoomRequest));
    bus.on('method', (m) => this.need().remote.serveMethod(m.method as string, m.userId as number, m.data as Record<string, unknown>));
    bus.on('deleteFile', (m) => {
      if (!this.files) throw new CodedError(Codes.NOT_FOUND, 'no file index on this node');
      return this.files.delete(m.fileId as string);
    });
    bus.on('media', (m) => this.serveMedia(m.row as MediaRowName | 'announceExisting', m.userId as number, m.data));
    this.mediaForwarder = {
      ownerOf: (roomId) => this.ownerOf(roomId),
      forward: (node, row, userId, data) => this.bus.request(node, 'media', { row, userId, data }),
    };
  }

  /** Connects, rejoins (a restarted node takes back its name) and loads the other nodes' users. */
  static async start(o: ClusterNodeOptions): Promise<ClusterNode> {
    const bus = await ClusterBus.connect(o.redisUrl, o.nodeId, o.logger);
    const node = new ClusterNode(o, bus);
    try {
      await node.rejoin();
    } catch (err) {
      await bus.close();
      throw err;
    }
    return node;
  }

  /** This node's media serves the rows other nodes forward for rooms it owns. */
  attachMedia(media: ClusterMedia | null): void {
    this.media = media;
  }

  /** The SDK serves kicks and room removals other nodes ask for. */
  attachSdk(sdk: ClusterSdk): void {
    this.sdk = sdk;
  }

  nodes(): Promise<NodeInfo[]> {
    return this.registry.list();
  }

  /** A node's public URL while it is up (undefined otherwise). */
  async urlOf(nodeId: string): Promise<string | undefined> {
    if (nodeId === this.o.nodeId) return this.o.url();
    // As last listed (every beat); a node that started since is looked up.
    const known = this.registry.urlOf(nodeId);
    if (known !== undefined) return known;
    await this.registry.list();
    return this.registry.urlOf(nodeId);
  }

  /** Has the node whose disk holds a file delete it (entry and bytes); false when it does not answer in 5 s. */
  async deleteFileOn(node: string, fileId: string): Promise<boolean> {
    try {
      return (await this.bus.request(node, 'deleteFile', { fileId }, 5000)) === true;
    } catch (err) {
      this.o.logger.warn({ err: (err as Error).message, node, fileId }, "a deleted file's bytes stay on its node (it did not answer)");
      return false;
    }
  }

  /** This node's files, which other nodes have it delete. */
  attachFiles(files: { delete(fileId: string): Promise<boolean> }): void {
    this.files = files;
  }

  get nodeId(): string {
    return this.o.nodeId;
  }

  /** Calls `fn(userId)` when a user of another node logs in or out, or enters or leaves a room. */
  onRemoteUser(fn: (userId: number) => void): () => void {
    this.userListeners.add(fn);
    return () => this.userListeners.delete(fn);
  }

  /** Calls `fn(roomId)` when a user of another node enters or leaves a room (its member list changed). */
  onRemoteRoom(fn: (roomId: number) => void): () => void {
    this.roomListeners.add(fn);
    return () => this.roomListeners.delete(fn);
  }

  /** The calls the other nodes that are up run now (a node that does not answer in 2 s is left out). */
  async otherNodesCalls(): Promise<{ node: string; calls: ActiveCall[] }[]> {
    const others = (await this.registry.list()).filter((n) => n.status === 'up' && n.nodeId !== this.o.nodeId);
    const answers = await Promise.allSettled(others.map((n) => this.bus.request(n.nodeId, 'calls', {}, 2000)));
    return answers.flatMap((a, i) => (a.status === 'fulfilled' ? [{ node: others[i]!.nodeId, calls: a.value as ActiveCall[] }] : []));
  }

  private touched(userId: number): void {
    for (const fn of this.userListeners) fn(userId);
  }

  async stop(): Promise<void> {
    this.frames.flush();
    await this.registry.stop();
    await this.bus.close();
  }

  private async rejoin(): Promise<void> {
    const { redis } = this.bus;
    const me = this.o.nodeId;
    for (const id of await redis.smembers(reapedKey(me))) this.alreadyClosed.add(Number(id));
    await redis.del(reapedKey(me), reapingKey(me));
    const all = Object.values(await redis.hgetall(SESSIONS_KEY)).map((v) => JSON.parse(v) as SessionSnapshot);
    const stale = all.filter((s) => s.node === me);
    if (stale.length > 0) {
      // Left by this node's previous run (it crashed and came back before anyone reported it): the
      // journal logs them out here; the others forget them.
      const tx = redis.multi().hdel(SESSIONS_KEY, ...stale.map((s) => String(s.userId)));
      this.leaveRoomsOf(tx, stale);
      await tx.exec();
      await this.bus.broadcast('nodeDown', { node: me });
    }
    // Names this node's previous run held: its business layer holds its persistent rooms' again as it restores them.
    const mine = Object.entries(await redis.hgetall(ROOM_OWNER_KEY)).filter(([, owner]) => owner === me);
    if (mine.length > 0) {
      const tx = redis.multi();
      await this.releaseHolds(
        tx,
        mine.map(([roomId]) => roomId),
      );
      await tx.exec();
    }
    for (const s of all) if (s.node !== me) this.onUp(s);
    this.registry = new NodeRegistry(
      redis,
      me,
      () => this.figures(),
      (n) => this.reap(n),
      this.o.logger,
    );
    await this.registry.start();
    this.o.logger.info({ node: me, remoteUsers: all.length - stale.length, reportedWhileDown: this.alreadyClosed.size }, 'cluster node joined');
  }

  private figures(): NodeFigures {
    let rooms = 0;
    for (const r of this.rooms.values()) if ([...r.members.keys()].some((u) => this.sessions.isLocal(u))) rooms++;
    return { url: this.o.url(), users: this.sessions.localCount, rooms, mediaLoad: this.o.mediaLoad() };
  }

  private need(): ClusterSdk {
    if (!this.sdk) throw new Error('cluster node has no SDK yet');
    return this.sdk;
  }

  // ------------------------------------------------------------------ this node's changes

  private announceUp(s: Session): void {
    this.frames.flush();
    const snap = snapshotOf(s, this.o.nodeId, '');
    this.bus.background(
      this.bus.redis
        .multi()
        .hset(SESSIONS_KEY, String(s.userId), JSON.stringify(snap))
        .publish(...this.broadcastArgs('up', { snap }))
        .del(loginClaimKey(s.userId))
        .exec(),
      'up',
    );
  }

  private announceDown(s: Session): void {
    this.frames.flush();
    const [channel, msg] = this.broadcastArgs('down', { userId: s.userId });
    this.bus.background(this.bus.redis.eval(DROP_SESSION_SCRIPT, 2, SESSIONS_KEY, channel, String(s.userId), this.o.nodeId, msg), 'down');
  }

  private announceRoomChange(change: RoomChange): void {
    this.frames.flush();
    const s = this.sessions.localSession(change.userId);
    const tx = this.bus.redis.multi();
    if (s) {
      const snap = snapshotOf(s, this.o.nodeId, '');
      if (change.kind === 'join') Object.assign(snap, { roomId: change.roomId, roomName: change.roomName, role: change.role });
      else if (change.kind === 'role') Object.assign(snap, { roomName: this.rooms.get(change.roomId)?.roomName ?? '', role: change.role });
      else Object.assign(snap, { roomId: null, roomName: '', role: null });
      tx.hset(SESSIONS_KEY, String(s.userId), JSON.stringify(snap));
    }
    // The first node to host a room owns its media (docs/cluster.md); the last to leave ends that.
    if (change.kind === 'join') {
      tx.sadd(ROOM_MEMBERS_PREFIX + change.roomId, String(change.userId));
      if (change.roomName) tx.hsetnx(ROOM_NAMES_KEY, change.roomName, String(change.roomId));
      tx.hsetnx(ROOM_OWNER_KEY, String(change.roomId), this.o.nodeId);
    }
    if (change.kind === 'leave') {
      tx.eval(...this.leaveRoomArgs(change.roomId, change.roomName ?? '', change.userId));
      if (!this.rooms.has(change.roomId)) this.owners.delete(change.roomId);
    }
    this.bus.background(tx.publish(...this.broadcastArgs('room', { change })).exec(), 'room');
  }

  /** The names a node that is gone held for its created rooms go with them (once their members are gone too). */
  private async releaseHolds(tx: ChainableCommander, roomIds: string[]): Promise<void> {
    const held = await this.bus.redis.hgetall(ROOM_HELD_KEY);
    for (const roomId of roomIds) {
      const name = held[roomId];
      if (name !== undefined) tx.eval(...this.leaveRoomArgs(Number(roomId), name, HELD)).hdel(ROOM_HELD_KEY, roomId);
    }
  }

  /** Takes users of a node that is gone out of their rooms' member sets. */
  private leaveRoomsOf(tx: ChainableCommander, snaps: SessionSnapshot[]): void {
    for (const s of snaps) if (s.roomId !== null) tx.eval(...this.leaveRoomArgs(s.roomId, s.roomName, s.userId));
  }

  /** HOLD_NAME_SCRIPT's arguments to `eval`. */
  private holdArgs(roomName: string, roomId: number): [string, number, ...string[]] {
    return [HOLD_NAME_SCRIPT, 3, ROOM_NAMES_KEY, ROOM_OWNER_KEY, ROOM_HELD_KEY, roomName, String(roomId), ROOM_MEMBERS_PREFIX, this.o.nodeId];
  }

  /** LEAVE_ROOM_SCRIPT's arguments to `eval`, on the connection or in a transaction. */
  private leaveRoomArgs(roomId: number, roomName: string, member: number | typeof HELD): [string, number, ...string[]] {
    return [LEAVE_ROOM_SCRIPT, 2, ROOM_NAMES_KEY, ROOM_OWNER_KEY, String(roomId), String(member), roomName, ROOM_MEMBERS_PREFIX];
  }

  private broadcastArgs(type: string, body: Record<string, unknown>): [string, string] {
    return ['anychat:bcast', JSON.stringify({ ...body, t: type, from: this.o.nodeId })];
  }

  // ------------------------------------------------------------------ other nodes' changes

  private onUp(snap: SessionSnapshot): void {
    const s = this.sessions.putRemote(snap);
    this.touched(snap.userId);
    if (s && snap.roomId !== null && snap.role !== null)
      this.rooms.apply({ kind: 'join', roomId: snap.roomId, roomName: snap.roomName, userId: snap.userId, role: snap.role });
  }

  private onRoomChange(change: RoomChange): void {
    this.rooms.apply(change);
    // Each node tells its own members of the others' entries and leaves (Delivery.pushToMembersHere).
    const { roomId, userId } = change;
    if (change.kind === 'join') {
      const nickName = this.sessions.get(userId)?.nickName ?? '';
      this.tellMembersHere(roomId, 'userEntered', { roomId, userId, nickName, role: change.role }, userId);
      if (!this.sessions.isLocal(userId)) this.sdk?.remote.enteredRoom(userId, roomId, change.role);
    } else if (change.kind === 'leave') {
      this.tellMembersHere(roomId, 'userLeft', { roomId, userId, reason: change.reason ?? Codes.LOGOUT_NORMAL });
    }
    for (const fn of this.roomListeners) fn(change.roomId);
    if (change.kind === 'leave') {
      if (!this.rooms.has(change.roomId)) this.owners.delete(change.roomId);
      // A user of another node leaves a room whose media (or call) may be here.
      if (!this.sessions.isLocal(change.userId)) {
        this.media?.releaseUser(change.userId);
        this.sdk?.remote.leftRoom(change.userId, change.roomId, Codes.LOGOUT_NORMAL);
      }
    }
    const s = this.sessions.get(change.userId);
    if (!s) return;
    this.touched(change.userId);
    if (change.kind === 'role') s.role = change.role;
    else if (s.link.remoteNode !== undefined) {
      s.roomId = change.kind === 'join' ? change.roomId : null;
      s.role = change.kind === 'join' ? change.role : null;
    }
  }

  private deliver(from: string, items: [number[], string][]): void {
    for (const [userIds, frame] of items) {
      this.remoteProducers.seen(from, frame, userIds);
      this.remoteTransfers.seen(from, frame, userIds);
      for (const id of userIds) this.sessions.localSession(id)?.link.sendFrame(frame);
    }
  }

  private async ownerOf(roomId: number): Promise<string | null> {
    let owner = this.owners.get(roomId);
    if (owner === undefined) {
      const { redis } = this.bus;
      await redis.hsetnx(ROOM_OWNER_KEY, String(roomId), this.o.nodeId);
      owner = (await redis.hget(ROOM_OWNER_KEY, String(roomId))) ?? this.o.nodeId;
      if (this.rooms.has(roomId)) this.owners.set(roomId, owner);
    }
    return owner === this.o.nodeId ? null : owner;
  }

  /** A media row another node forwards for its user (in a room this node owns). */
  private async serveMedia(row: MediaRowName | 'announceExisting', userId: number, data: unknown): Promise<unknown> {
    const s = this.sessions.remoteSession(userId);
    if (!this.media) throw new CodedError(SignalingCodes.MEDIA_UNAVAILABLE, 'no media node on the owning node');
    if (!s) throw new CodedError(SignalingCodes.NOT_LOGGED_IN, `user ${userId} is not known on the owning node`);
    const st: ClientState = { link: s.link, session: s, loggingIn: false };
    if (row === 'announceExisting') return this.media.announceHere(st, (data as { roomId: number }).roomId);
    return this.media.runHere(st, row, data);
  }

  private async kickRemote(node: string, userId: number, opts: KickOptions): Promise<boolean> {
    try {
      return (await this.bus.request(node, 'kick', { userId, reason: opts.reason ?? '' })) === true;
    } catch (err) {
      this.o.logger.warn({ err: (err as Error).message, node, userId }, 'remote kick failed; the user is forgotten here');
      return false;
    } finally {
      // Whatever the answer, this replica entry is gone (a login waiting on it must not spin).
      this.sessions.dropRemote(userId, node);
    }
  }

  /** A node went away: its media ends (`producerClosed`), its users leave their rooms here (this node's members are told). */
  private dropNode(node: string): void {
    for (const [roomId, owner] of this.owners) if (owner === node) this.owners.delete(roomId);
    const owed = [...this.remoteProducers.dropNode(node), ...this.remoteTransfers.dropNode(node, SignalingCodes.USER_OFFLINE)];
    for (const { frame, userIds } of owed) {
      for (const id of userIds) this.sessions.localSession(id)?.link.sendFrame(frame);
    }
    for (const s of this.sessions.remoteOf(node)) {
      this.sessions.dropRemote(s.userId, node);
      this.sdk?.remote.userGone(s.userId, Codes.LOGOUT_NETWORK_TIMEOUT);
      this.touched(s.userId);
      this.media?.releaseUser(s.userId);
      if (s.roomId === null) continue;
      const roomId = s.roomId;
      this.rooms.apply({ kind: 'leave', roomId, userId: s.userId });
      this.tellMembersHere(roomId, 'userLeft', { roomId, userId: s.userId, reason: Codes.LOGOUT_NETWORK_TIMEOUT });
    }
  }

  private tellMembersHere<N extends NotificationName>(roomId: number, notification: N, data: Notifications[N], exceptUserId?: number): void {
    const frame = JSON.stringify({ notification, data });
    for (const uid of this.rooms.get(roomId)?.members.keys() ?? []) if (uid !== exceptUserId) this.sessions.localSession(uid)?.link.sendFrame(frame);
  }

  // ------------------------------------------------------------------ Redis came back

  /**
   * Redis went away and came back (a restart may have emptied it, and what was published
   * meanwhile is lost): this node writes its own sessions, memberships and name holds again and
   * sends everyone its roster, asking theirs in return; each node sets its replica of the sender
   * by it (users who left meanwhile go, their rooms told).
   */
  private async resync(): Promise<void> {
    const me = this.o.nodeId;
    const tx = this.bus.redis.multi();
    // Entries of users who left while their removal could not be written (Redis kept its data).
    const stale = Object.values(await this.bus.redis.hgetall(SESSIONS_KEY))
      .map((v) => JSON.parse(v) as SessionSnapshot)
      .filter((snap) => snap.node === me && !this.sessions.isLocal(snap.userId));
    if (stale.length > 0) tx.hdel(SESSIONS_KEY, ...stale.map((snap) => String(snap.userId)));
    for (const s of this.sessions.localSessions()) {
      const room = s.roomId !== null ? this.rooms.get(s.roomId) : undefined;
      tx.hset(SESSIONS_KEY, String(s.userId), JSON.stringify(snapshotOf(s, me, room?.roomName ?? '')));
      if (!room) continue;
      tx.sadd(ROOM_MEMBERS_PREFIX + room.roomId, String(s.userId));
      if (room.roomName) tx.hsetnx(ROOM_NAMES_KEY, room.roomName, String(room.roomId));
      const owner = this.owners.get(room.roomId);
      if (owner !== undefined) tx.hsetnx(ROOM_OWNER_KEY, String(room.roomId), owner);
    }
    for (const [roomId, name] of this.holds) tx.eval(...this.holdArgs(name, roomId));
    await tx.exec();
    await this.broadcastRoster();
    await this.bus.broadcast('rosterRequest');
    this.o.logger.warn(
      { users: this.sessions.localCount, holds: this.holds.size },
      "redis came back: this node wrote its state again and asked for the others' rosters",
    );
  }

  private broadcastRoster(): Promise<unknown> {
    const me = this.o.nodeId;
    const sessions = this.sessions.localSessions().map((s) => snapshotOf(s, me, s.roomId !== null ? (this.rooms.get(s.roomId)?.roomName ?? '') : ''));
    return this.bus.broadcast('roster', { sessions });
  }

  /** Another node's whole list of users: the replica of that node becomes exactly it. */
  private applyRoster(node: string, snaps: SessionSnapshot[]): void {
    const listed = new Set(snaps.map((s) => s.userId));
    for (const s of this.sessions.remoteOf(node)) {
      if (listed.has(s.userId)) continue;
      // Left while the bus was down: out of its room (members here told), then offline.
      if (s.roomId !== null) this.onRoomChange({ kind: 'leave', roomId: s.roomId, userId: s.userId, reason: Codes.LOGOUT_NORMAL });
      if (this.sessions.dropRemote(s.userId, node)) this.sdk?.remote.userGone(s.userId, Codes.LOGOUT_NORMAL);
      this.touched(s.userId);
    }
    for (const snap of snaps) {
      const known = this.sessions.remoteSession(snap.userId);
      if (!known || known.link.remoteNode !== node) {
        this.onUp(snap);
        continue;
      }
      if (known.roomId === snap.roomId) continue;
      // Changed room while the bus was down.
      if (known.roomId !== null) this.onRoomChange({ kind: 'leave', roomId: known.roomId, userId: snap.userId });
      if (snap.roomId !== null && snap.role !== null)
        this.onRoomChange({ kind: 'join', roomId: snap.roomId, roomName: snap.roomName, userId: snap.userId, role: snap.role });
    }
  }

  /** A node stopped beating: the first survivor to claim it logs its users out (reason 100) for everyone. */
  private async reap(node: string): Promise<void> {
    const { redis } = this.bus;
    if ((await redis.set(reapingKey(node), this.o.nodeId, 'PX', 30_000, 'NX')) !== 'OK') return;
    const theirs = Object.values(await redis.hgetall(SESSIONS_KEY))
      .map((v) => JSON.parse(v) as SessionSnapshot)
      .filter((s) => s.node === node);
    const tx = redis.multi();
    const rooms = Object.entries(await redis.hgetall(ROOM_OWNER_KEY)).filter(([, owner]) => owner === node);
    if (rooms.length > 0) tx.hdel(ROOM_OWNER_KEY, ...rooms.map(([roomId]) => roomId));
    await this.releaseHolds(
      tx,
      rooms.map(([roomId]) => roomId),
    );
    if (theirs.length > 0) {
      tx.hdel(SESSIONS_KEY, ...theirs.map((s) => String(s.userId)));
      tx.sadd(reapedKey(node), ...theirs.map((s) => String(s.userId)));
      this.leaveRoomsOf(tx, theirs);
    }
    await tx.publish(...this.broadcastArgs('nodeDown', { node })).exec();
    await this.registry.markDown(node);
    this.dropNode(node);
    this.sdk?.remote.reportLogouts(theirs, Codes.LOGOUT_NETWORK_TIMEOUT);
    this.o.logger.warn({ node, users: theirs.length }, 'cluster node stopped beating: its users were logged out (reason 100)');
  }
}
