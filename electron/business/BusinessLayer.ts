/**
 * The console's own "business server" (seed §8), written against the SDK's public API only:
 *
 * - rooms (seeds/nim-multiparty-rooms.txt): create by name (417 if taken), enter by id or name,
 *   password, capacity, roles "interactive"/"audience" switchable at any time, a room ends with
 *   its last member, an operator can close one (everyone leaves with reason 900904);
 * - the optional per-room chat log (seed §2.10);
 * - public mic seats and the mic queue (seed §8.3, §8.4), with `micState` broadcasts, the seat
 *   time limit and the operator controls; media follows seats: an audience member without a seat
 *   cannot produce, and loses their producers with their seat;
 * - call rooms (seed §6): the room a started call allocated admits its two parties only and is
 *   torn down for both when the call finishes.
 *
 * SDK events arrive in order but after the fact, so client methods first reconcile with the SDK's
 * own view of where the user is (`syncMember`) instead of trusting that the event was seen.
 */
import { PersistentRoomStore, persistentRowOf } from './rooms/persistentRooms';
import type { Logger } from 'pino';
import { CodedError, Codes, SignalingCodes } from '../../shared/codes';
import type { Config } from '../config/schema';
import { TypedEmitter } from '../util/TypedEmitter';
import type { AnyChatSdk, PrepareEnterRoomRequest, PrepareEnterRoomResult, PrepareProduceRequest, RoomRole, SdkEvents } from '../sdk';
import { VideoCallEvent } from '../sdk';
import type { Db } from '../store/Database';
import { ChatLogRepository, type ChatLogEntry, type ChatLogQuery } from './chat/chatLogRepository';
import { parseClientRequest } from './clientRequests';
import { guardedEvent, guardedEventAsync, loggedRequest } from './handlerGuards';
import { systemClock, type Clock, type TimerHandle } from './clock';
import { toMicStateWire, type MicChange, type MicQueue } from './mic/micQueue';
import { RoomMics } from './mic/roomMics';
import type { SqlClient } from '../store/sql/SqlClient';
import { sqliteClientFor } from '../store/sql/SqliteClient';
import { RoomRegistry, type CreateRoomOptions, type RoomRecord } from './rooms/roomRegistry';
import { micView, roomMembers, roomSummary, type BusinessEvents, type BusinessRoomDetail, type MicStateView, type RoomMember, type RoomSummary } from './views';

export type RoomsSettings = Config['rooms'];

export interface BusinessLayerOptions {
  sdk: AnyChatSdk;
  /** The node's own store, with `businessMigrations` run; `store`: the shared one (chat log; default `db`). */
  db: Db;
  store?: SqlClient;
  config: { rooms: RoomsSettings };
  logger: Logger;
  /** Tests inject a manual clock; defaults to the system clock. */
  clock?: Clock;
}

/** Operator createRoom: the client's options plus the chat log switch. */
export type OperatorCreateRoom = Omit<CreateRoomOptions, 'roomId' | 'createdBy'> & { name: string };

const SWEEP_EVERY_MS = 10_000;
const PRUNE_EVERY_MS = 3_600_000;

export class BusinessLayer {
  private readonly emitter = new TypedEmitter<BusinessEvents>();
  private readonly mics: RoomMics;
  private readonly disposers: (() => void)[] = [];
  private sweepTimer: TimerHandle | null = null;
  private lastPrune = 0;
  private closed = false;
  /** Rooms whose names this node gave out cluster-wide (createNamed). */
  private readonly heldNames = new Set<number>();

  private constructor(
    private readonly sdk: AnyChatSdk,
    private readonly registry: RoomRegistry,
    private readonly chatLog: ChatLogRepository,
    private readonly settings: RoomsSettings,
    private readonly logger: Logger,
    private readonly clock: Clock,
    private readonly persistentRooms: PersistentRoomStore,
  ) {
    this.mics = new RoomMics({ settings, clock, onChange: (room, change) => this.onMicChange(room, change) });
  }

  static async create(opts: BusinessLayerOptions): Promise<BusinessLayer> {
    const settings = opts.config.rooms;
    const clock = opts.clock ?? systemClock;
    const registry = new RoomRegistry({
      clock,
      defaultSeatCount: settings.defaultSeatCount,
      defaultChatLog: settings.chatLog,
      maxRoomUsers: settings.maxRoomUsers,
      maxRooms: settings.maxRooms,
      allocateRoomId: () => opts.sdk.allocateRoomId(),
      onNameReleased: (name, roomId) => layer.nameReleased(name, roomId),
    });
    const layer: BusinessLayer = new BusinessLayer(
      opts.sdk,
      registry,
      new ChatLogRepository(opts.store ?? sqliteClientFor(opts.db)),
      settings,
      opts.logger,
      clock,
      new PersistentRoomStore(opts.db),
    );
    layer.restorePersistentRooms();
    layer.pruneChatLog();
    layer.adoptSdkRooms();
    layer.attach();
    layer.scheduleSweep();
    return layer;
  }

  // ================================================================ operator API (the console)

  on<K extends keyof BusinessEvents & string>(event: K, listener: (payload: BusinessEvents[K]) => void): () => void {
    return this.emitter.on(event, listener);
  }

  listRooms(): RoomSummary[] {
    return this.registry.list().map((r) => roomSummary(r, this.mics.get(r.roomId)));
  }

  roomDetail(roomId: number): BusinessRoomDetail {
    const room = this.registry.require(roomId);
    return { room: roomSummary(room, this.mics.get(roomId)), users: this.membersOf(room), mic: micView(roomId, this.mics.get(roomId)) };
  }

  micState(roomId: number): MicStateView {
    this.registry.require(roomId);
    return micView(roomId, this.mics.get(roomId));
  }

  /** Creates a room ahead of time (417 if the name exists); `persistent` keeps it in the store and across restarts. */
  async createRoom(o: OperatorCreateRoom): Promise<RoomSummary> {
    const room = await this.createNamed({ ...o, createdBy: null });
    if (room.persistent) {
      try {
        this.savePersistent(room);
      } catch (err) {
        this.registry.remove(room.roomId);
        throw err;
      }
    }
    this.logger.info({ roomId: room.roomId, name: room.name, persistent: room.persistent }, 'room created by operator');
    return this.roomChanged(room);
  }

  /**
   * Creates a room whose name, in a cluster, is given to it on every node (a client entering the
   * name through another node enters this room, admitted here). 417 when another node's room has it.
   */
  private async createNamed(o: CreateRoomOptions): Promise<RoomRecord> {
    const room = this.registry.create(o);
    if (room.name === null) return room;
    let holder: number;
    try {
      holder = await this.sdk.holdRoomName(room.name, room.roomId);
    } catch (err) {
      this.registry.remove(room.roomId);
      throw err;
    }
    if (holder !== room.roomId) {
      this.registry.remove(room.roomId);
      throw new CodedError(Codes.ROOM_ALREADY_EXISTS, `a room named "${room.name}" exists (room ${holder})`);
    }
    this.heldNames.add(room.roomId);
    return room;
  }

  /** The registry freed a name: one this node gave out cluster-wide goes there too. */
  private nameReleased(name: string, roomId: number): void {
    if (this.heldNames.delete(roomId)) this.sdk.releaseRoomName(name, roomId);
  }

  private savePersistent(room: RoomRecord): void {
    this.persistentRooms.save(persistentRowOf(room));
  }

  /** At start: every persistent room with the same id, name and settings as before. */
  private restorePersistentRooms(): void {
    for (const r of this.persistentRooms.all()) {
      this.createNamed({ ...r, persistent: true, createdBy: null }).catch((err: unknown) =>
        this.logger.error({ err, roomId: r.roomId }, 'a persistent room could not be restored'),
      );
    }
  }

  /** Everyone leaves with reason 900904 (`roomClosed` first); the name is free at once. */
  async closeRoom(roomId: number, reason = ''): Promise<void> {
    const { room, members } = this.registry.close(roomId);
    if (room.persistent) this.persistentRooms.delete(roomId);
    const everyone = new Set([...members, ...(this.sdk.getRoom(roomId)?.users.map((u) => u.userId) ?? [])]);
    this.logger.info({ roomId, name: room.name, users: everyone.size, reason }, 'room closed by operator');
    this.mics.drop(roomId);
    for (const userId of everyone) {
      this.sdk.pushToUser(userId, 'roomClosed', { roomId, reason: Codes.ROOM_CLOSED, message: reason });
      try {
        await this.sdk.removeFromRoom(userId, Codes.ROOM_CLOSED);
      } catch (err) {
        this.logger.warn({ err, roomId, userId }, 'could not remove a user from a closed room');
      }
    }
    if (!this.registry.get(roomId)) this.emitter.emit('roomChanged', { ...roomSummary(room, undefined), removed: true });
  }

  reorderQueue(roomId: number, queue: readonly number[]): MicStateView {
    return this.operatorMic(roomId, 'reorder queue', (m) => m.reorder(queue));
  }

  removeFromQueue(roomId: number, userId: number): MicStateView {
    return this.operatorMic(roomId, 'remove from queue', (m) => m.removeFromQueue(userId));
  }

  forceOffSeat(roomId: number, userId: number): MicStateView {
    return this.operatorMic(roomId, 'force off seat', (m) => m.forceOff(userId));
  }

  lockSeat(roomId: number, seat: number, locked: boolean): MicStateView {
    return this.operatorMic(roomId, locked ? 'lock seat' : 'unlock seat', (m) => m.lockSeat(seat, locked));
  }

  setSeatCount(roomId: number, count: number): MicStateView {
    const view = this.operatorMic(roomId, 'set seat count', (m) => m.setSeatCount(count));
    const room = this.registry.require(roomId);
    room.seatCount = count;
    if (room.persistent) this.savePersistent(room);
    return view;
  }

  /** The persisted chat log, newest first. */
  chatHistory(q: ChatLogQuery): Promise<ChatLogEntry[]> {
    return this.chatLog.query(q);
  }

  /** Idempotent: unhooks from the SDK, stops timers. Rooms live in memory only. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const d of this.disposers.splice(0)) d();
    if (this.sweepTimer) this.clock.clearTimeout(this.sweepTimer);
    this.sweepTimer = null;
    this.mics.closeAll();
    this.emitter.removeAllListeners();
  }

  // ================================================================ wiring

  private attach(): void {
    const sdk = this.sdk;
    this.disposers.push(
      sdk.setHook('prepareEnterRoom', (req) => this.logged('enterRoom', req.userId, () => this.prepareEnterRoom(req))),
      sdk.setHook('prepareProduce', (req) => this.logged('produce', req.userId, () => this.prepareProduce(req))),
      sdk.registerClientMethod('createRoom', (userId, data) => this.logged('createRoom', userId, () => this.clientCreateRoom(userId, data))),
      sdk.registerClientMethod('setRole', (userId, data) => this.logged('setRole', userId, () => this.clientSetRole(userId, data))),
      sdk.registerClientMethod('micRequest', (userId, data) => this.logged('micRequest', userId, () => this.clientMic(userId, data, 'micRequest'))),
      sdk.registerClientMethod('micRelease', (userId, data) => this.logged('micRelease', userId, () => this.clientMic(userId, data, 'micRelease'))),
      sdk.registerClientMethod('getMicState', (userId, data) => this.logged('getMicState', userId, () => this.clientGetMicState(userId, data))),
      sdk.on('enterRoom', (ev) => this.guard('enterRoom', () => this.onEnterRoom(ev))),
      sdk.on('leaveRoom', (ev) => this.guard('leaveRoom', () => this.handleLeave(ev.roomId, ev.userId))),
      sdk.on('remoteMemberLeft', (ev) => this.guard('leaveRoom', () => this.handleLeave(ev.roomId, ev.userId))),
      sdk.on('remoteMemberEntered', (ev) => this.guard('enterRoom', () => this.onRemoteEnter(ev))),
      sdk.on('logout', (ev) => this.guard('logout', () => this.onLogout(ev))),
      sdk.on('textMessage', (ev) => this.guard('textMessage', () => this.onTextMessage(ev))),
      sdk.on('videoCall', (ev) => this.guardAsync('videoCall', () => this.onVideoCall(ev))),
    );
  }

  /** Rooms that already have users when the layer starts (e.g. a restart of the layer alone). */
  private adoptSdkRooms(): void {
    for (const info of this.sdk.listRooms()) {
      if (this.registry.get(info.roomId)) continue;
      const room = this.registry.create({ roomId: info.roomId, name: info.roomName || null });
      for (const u of info.users) this.registry.join(room.roomId, u.userId, u.role);
      this.mics.of(room);
    }
  }

  // ================================================================ hooks

  private prepareEnterRoom(req: PrepareEnterRoomRequest): PrepareEnterRoomResult {
    // Entered by name: the name decides (roomId is only the SDK's allocation for a new name).
    const byId = req.roomId > 0 && !req.allocated;
    let room = byId ? this.registry.get(req.roomId) : this.registry.findByName(req.roomName);
    if (!room && byId) room = this.callRoomFor(req.userId, req.roomId);
    if (!room) {
      if (!this.settings.autoCreate) {
        throw new CodedError(Codes.ROOM_NOT_FOUND, byId ? `no room ${req.roomId}` : `no room named "${req.roomName}"`);
      }
      // The SDK's id for a new name is used when free (an operator-closed room may still hold it
      // while its members leave); otherwise the registry allocates one and the SDK follows.
      const useId = req.roomId > 0 && (byId || !this.registry.get(req.roomId));
      room = this.registry.create(
        useId ? { roomId: req.roomId, name: req.roomName || null, createdBy: req.userId } : { name: req.roomName, createdBy: req.userId },
      );
      this.logger.info({ roomId: room.roomId, name: room.name, userId: req.userId }, 'room created on entry');
      this.roomChanged(room);
    }
    this.registry.admit(room, req.userId, req.password);
    const role: RoomRole = room.kind === 'call' ? 'interactive' : req.role;
    return { code: 0, roomId: room.roomId, role };
  }

  private prepareProduce(req: PrepareProduceRequest): number {
    const room = this.registry.get(req.roomId) ?? this.syncMember(req.userId);
    if (room.kind === 'call') return 0;
    if (this.roleOf(room, req.userId) === 'interactive') return 0;
    if (this.mics.get(room.roomId)?.isSeated(req.userId)) return 0;
    this.logger.info({ userId: req.userId, roomId: req.roomId, kind: req.kind }, 'produce refused: audience without a mic seat');
    throw new CodedError(Codes.PRODUCE_NEEDS_SEAT, 'an audience member needs a mic seat to publish (micRequest first)');
  }

  // ================================================================ client methods

  private async clientCreateRoom(userId: number, data: unknown): Promise<Record<string, unknown>> {
    const d = parseClientRequest('createRoom', data);
    const room = await this.createNamed({
      name: d.roomName,
      password: d.password ?? null,
      capacity: d.capacity ?? null,
      ...(d.seatCount !== undefined ? { seatCount: d.seatCount } : {}),
      createdBy: userId,
      customInfo: d.customInfo ?? '',
    });
    this.logger.info({ roomId: room.roomId, name: room.name, userId }, 'room created');
    this.roomChanged(room);
    return { roomId: room.roomId, roomName: room.name };
  }

  private async clientSetRole(userId: number, data: unknown): Promise<Record<string, unknown>> {
    const { role } = parseClientRequest('setRole', data);
    const room = this.syncMember(userId);
    if (room.kind === 'call') throw new CodedError(Codes.BAD_REQUEST, 'roles do not apply in a call room');
    this.registry.setRole(room.roomId, userId, role);
    this.sdk.setUserRole(userId, role);
    this.sdk.pushToRoom(room.roomId, 'userRoleChanged', { roomId: room.roomId, userId, role });
    this.emitMembers(room);
    if (role === 'audience' && !this.mics.get(room.roomId)?.isSeated(userId)) await this.closeProducers(userId, 'became audience without a seat');
    return { roomId: room.roomId, role };
  }

  private clientMic(userId: number, data: unknown, method: 'micRequest' | 'micRelease'): Record<string, unknown> {
    parseClientRequest(method, data);
    const room = this.syncMember(userId);
    const mic = this.mics.of(room);
    if (!mic) throw new CodedError(Codes.MIC_UNAVAILABLE, 'a call room has no mic seats');
    return { ...(method === 'micRequest' ? mic.request(userId) : mic.release(userId)) };
  }

  private clientGetMicState(userId: number, data: unknown): Record<string, unknown> {
    parseClientRequest('getMicState', data);
    const room = this.syncMember(userId);
    return { ...toMicStateWire(micView(room.roomId, this.mics.get(room.roomId))) };
  }

  // ================================================================ SDK events

  private onEnterRoom(ev: SdkEvents['enterRoom']): void {
    const current = this.registry.roomOf(ev.userId);
    if (current && current.roomId !== ev.roomId) this.handleLeave(current.roomId, ev.userId);
    this.handleJoin(ev.roomId, ev.userId, ev.role);
  }

  /**
   * Another node's user entered a room (cluster). Counted here if this node knows the room; the
   * node that admitted it (the room's owner) also gives it the seats and the custom info, as
   * handleJoin does for its own users.
   */
  private onRemoteEnter(ev: SdkEvents['remoteMemberEntered']): void {
    const room = this.registry.get(ev.roomId);
    if (!room) return;
    const current = this.registry.roomOf(ev.userId);
    if (current && current.roomId !== ev.roomId) this.handleLeave(current.roomId, ev.userId);
    if (room.reservations.has(ev.userId)) {
      this.handleJoin(ev.roomId, ev.userId, ev.role);
      return;
    }
    this.registry.join(ev.roomId, ev.userId, ev.role);
    this.emitMembers(room);
    this.roomChanged(room);
  }

  private onLogout(ev: SdkEvents['logout']): void {
    const room = this.registry.roomOf(ev.userId);
    if (room) this.handleLeave(room.roomId, ev.userId);
  }

  private onTextMessage(ev: SdkEvents['textMessage']): void {
    const room = this.registry.get(ev.roomId);
    if (!room?.chatLog) return;
    this.chatLog.appendInBackground({ ...ev, roomName: room.name, at: this.clock.now() }, this.logger);
  }

  private async onVideoCall(ev: SdkEvents['videoCall']): Promise<void> {
    if (ev.eventType === VideoCallEvent.START && ev.param > 0) {
      if (!this.registry.get(ev.param)) this.roomChanged(this.registry.createCallRoom(ev.param, [ev.srcUserId, ev.targetUserId]));
      return;
    }
    if (ev.eventType !== VideoCallEvent.FINISH || ev.param <= 0) return;
    const room = this.registry.get(ev.param);
    if (!room || room.kind !== 'call') return;
    // Finished by either side or by the server: tear the call room down for both.
    for (const userId of room.parties) {
      if (this.sdk.getOnlineUser(userId)?.roomId === room.roomId) await this.sdk.removeFromRoom(userId, Codes.LOGOUT_NORMAL);
    }
    const { ended } = this.registry.close(room.roomId);
    if (ended) this.emitter.emit('roomChanged', { ...roomSummary(room, undefined), removed: true });
  }

  // ================================================================ membership

  private handleJoin(roomId: number, userId: number, role: RoomRole): RoomRecord {
    const room = this.registry.join(roomId, userId, role);
    const mic = this.mics.of(room);
    // seed §8.3 step 4 / §8.4 step 2: the newcomer gets the seats and the queue.
    if (mic) this.sdk.pushToUser(userId, 'micState', toMicStateWire(mic.snapshot()));
    // NIM seed: custom_info given at creation reaches every member who enters.
    if (room.customInfo) this.sdk.pushToUser(userId, 'roomCustomInfo', { roomId, customInfo: room.customInfo });
    this.emitMembers(room);
    this.roomChanged(room);
    return room;
  }

  private handleLeave(roomId: number, userId: number): void {
    const room = this.registry.get(roomId);
    if (!room) return;
    this.mics.get(roomId)?.removeUser(userId);
    // Left and already back (re-entered the same room): membership stays.
    if (this.sdk.getOnlineUser(userId)?.roomId === roomId) return;
    // Users the SDK has in the room whose entry we have not processed yet keep the room alive.
    for (const u of this.sdk.getRoom(roomId)?.users ?? []) {
      if (u.userId !== userId && !room.members.has(u.userId)) this.registry.join(roomId, u.userId, u.role);
    }
    const { ended } = this.registry.leave(roomId, userId);
    if (ended) {
      this.mics.drop(roomId);
      this.logger.info({ roomId, name: room.name }, 'room ended (last user left)');
      this.emitter.emit('roomChanged', { ...roomSummary(room, undefined), removed: true });
    } else {
      this.emitMembers(room);
      this.roomChanged(room);
    }
  }

  /** Where the SDK says the user is; joins them here if their enterRoom event is still queued. */
  private syncMember(userId: number): RoomRecord {
    const u = this.sdk.getOnlineUser(userId);
    if (!u || u.roomId === null) throw new CodedError(SignalingCodes.NOT_IN_ROOM, 'enter a room first');
    const current = this.registry.roomOf(userId);
    if (current && current.roomId === u.roomId) return current;
    if (current) this.handleLeave(current.roomId, userId);
    return this.handleJoin(u.roomId, userId, u.role ?? 'interactive');
  }

  private roleOf(room: RoomRecord, userId: number): RoomRole {
    return room.members.get(userId)?.role ?? this.sdk.getOnlineUser(userId)?.role ?? 'audience';
  }

  private membersOf(room: RoomRecord): RoomMember[] {
    return roomMembers(room, (id) => this.sdk.getOnlineUser(id)?.nickName ?? '');
  }

  /** The call room of an active call of this user, made known before the call-start event arrives. */
  private callRoomFor(userId: number, roomId: number): RoomRecord | undefined {
    const call = this.sdk.listCalls().find((c) => c.state === 'active' && c.roomId === roomId && (c.callerId === userId || c.calleeId === userId));
    if (!call) return undefined;
    const room = this.registry.createCallRoom(roomId, [call.callerId, call.calleeId]);
    this.roomChanged(room);
    return room;
  }

  // ================================================================ mics

  private onMicChange(room: RoomRecord, change: MicChange): void {
    this.sdk.pushToRoom(room.roomId, 'micState', toMicStateWire(change.snapshot));
    this.emitter.emit('micChanged', change.snapshot);
    this.roomChanged(room);
    for (const u of change.unseated) {
      this.logger.debug({ roomId: room.roomId, ...u }, 'mic seat lost');
      // Media follows seats: an audience member off the seat may not publish any more.
      if (this.roleOf(room, u.userId) === 'audience') void this.closeProducers(u.userId, `seat lost (${u.cause})`);
    }
  }

  private operatorMic(roomId: number, action: string, fn: (mic: MicQueue) => unknown): MicStateView {
    const room = this.registry.require(roomId);
    const mic = this.mics.of(room);
    if (!mic) throw new CodedError(Codes.MIC_UNAVAILABLE, `room ${roomId} is a call room and has no mic seats`);
    fn(mic);
    this.logger.info({ roomId, action }, 'mic operator action');
    return mic.snapshot();
  }

  private async closeProducers(userId: number, why: string): Promise<void> {
    try {
      await this.sdk.closeUserProducers(userId);
      this.logger.debug({ userId, why }, 'producers closed');
    } catch (err) {
      this.logger.warn({ err, userId, why }, 'could not close producers');
    }
  }

  // ================================================================ helpers

  private roomChanged(room: RoomRecord): RoomSummary {
    const summary = roomSummary(room, this.mics.get(room.roomId));
    this.emitter.emit('roomChanged', summary);
    return summary;
  }

  private emitMembers(room: RoomRecord): void {
    this.emitter.emit('roomMembers', { roomId: room.roomId, users: this.membersOf(room) });
  }

  private logged<R>(what: string, userId: number, fn: () => R): R {
    return loggedRequest(this.logger, what, userId, fn);
  }

  /** Events still queued in the SDK when the layer closes are ignored. */
  private guard(event: string, fn: () => void): void {
    if (!this.closed) guardedEvent(this.logger, event, fn);
  }

  private async guardAsync(event: string, fn: () => Promise<void>): Promise<void> {
    if (!this.closed) await guardedEventAsync(this.logger, event, fn);
  }

  private scheduleSweep(): void {
    if (this.closed) return;
    this.sweepTimer = this.clock.setTimeout(
      () => {
        this.sweepTimer = null;
        this.sweep();
        this.scheduleSweep();
      },
      Math.min(SWEEP_EVERY_MS, this.settings.emptyRoomSeconds * 1000),
    );
  }

  private sweep(): void {
    const gone = this.registry.list().filter((r) => r.members.size === 0);
    const removed = new Set(this.registry.sweep(this.settings.emptyRoomSeconds * 1000));
    for (const room of gone) {
      if (!removed.has(room.roomId)) continue;
      this.mics.drop(room.roomId);
      this.logger.info({ roomId: room.roomId, name: room.name }, 'empty room ended');
      this.emitter.emit('roomChanged', { ...roomSummary(room, undefined), removed: true });
    }
    if (this.clock.now() - this.lastPrune >= PRUNE_EVERY_MS) this.pruneChatLog();
  }

  private pruneChatLog(): void {
    this.lastPrune = this.clock.now();
    this.chatLog.pruneInBackground(this.clock.now() - this.settings.chatLogRetentionDays * 86_400_000, this.logger);
  }
}
