/**
 * The smart queue, alive: agents with a status, customers waiting in queues, and the router that
 * hands the longest-waiting customer to an idle agent whose skills match the queue, starts a video
 * call between them (the agent calls the customer), marks the agent busy and frees it when the
 * call ends. Objects (areas, queues, skills, queue groups, user objects) persist in QueueObjectStore;
 * the live state (who is waiting, agent statuses) is in memory and starts empty.
 */
import type { Logger } from 'pino';
import { Codes, CodedError } from '../../shared/codes';
import { TypedEmitter } from '../util/TypedEmitter';
import type { PlatformEvent, PlatformPort, PlatformUser } from '../gateway/platformPort';
import { AgentStatus, InfoTypes, ObjectTypes, UserFlags, type AgentStatusValue } from './constants';
import type { QueueObject, QueueObjectStore, UserObject } from './QueueObjectStore';

export interface AgentState {
  userId: number;
  status: AgentStatusValue;
  /** Service area the agent works in; null = every area. */
  areaGuid: string | null;
  servingUserId: number | null;
  statusSince: number;
}

export interface WaitingCustomer {
  userId: number;
  areaGuid: string | null;
  /** null = in the area, not queued (a "guest"). */
  queueGuid: string | null;
  enteredAt: number;
  seq: number;
  failures: number;
}

export interface AgentStatusChange {
  userId: number;
  userName: string;
  status: AgentStatusValue;
  time: number;
}

export interface SmartQueueEvents {
  agentStatus: AgentStatusChange;
  /** Anything in the live state changed (console refresh). */
  changed: { reason: string };
  /** A customer was handed to an agent. */
  assigned: { agentUserId: number; customerUserId: number; queueGuid: string };
}

/** What the Queues console screen shows. */
export interface QueueSnapshot {
  areas: (QueueObject & { agentCount: number; guestCount: number; queuedCount: number })[];
  queues: (QueueObject & { waiting: { userId: number; userName: string; waitingSinceMs: number }[] })[];
  skills: QueueObject[];
  queueGroups: QueueObject[];
  agents: (AgentState & { userName: string; skillgroups: number[] })[];
  userObjects: UserObject[];
}

/** Client methods the queue adds to the signaling protocol (documented in docs/gateway-api.md). */
export const QueueClientMethods = {
  AGENT_STATUS: 'queueAgentStatus',
  ENTER_AREA: 'queueEnterArea',
  ENTER_QUEUE: 'queueEnter',
  LEAVE: 'queueLeave',
} as const;

export class SmartQueue extends TypedEmitter<SmartQueueEvents> {
  private readonly agents = new Map<number, AgentState>();
  private readonly customers = new Map<number, WaitingCustomer>();
  private seq = 0;
  private readonly unsubscribers: (() => void)[] = [];
  private dispatchScheduled = false;
  private closed = false;

  private constructor(
    readonly store: QueueObjectStore,
    private readonly platform: PlatformPort,
    private readonly logger: Logger,
  ) {
    super();
  }

  static async create(opts: { store: QueueObjectStore; platform: PlatformPort; logger: Logger }): Promise<SmartQueue> {
    const q = new SmartQueue(opts.store, opts.platform, opts.logger);
    q.unsubscribers.push(opts.platform.onEvent((e) => q.onPlatformEvent(e)));
    q.registerClientMethods();
    return q;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const u of this.unsubscribers.splice(0)) u();
    this.removeAllListeners();
  }

  // ---- user objects -------------------------------------------------------------------------

  userObject(userId: number): UserObject {
    return this.store.userObject(userId) ?? { userId, flags: UserFlags.CLIENT, priority: 0, skillgroups: [], queuegroups: [] };
  }

  isAgent(userId: number): boolean {
    return (this.userObject(userId).flags & UserFlags.AGENT) !== 0;
  }

  /** userinfo_ctrl 11. Clearing the agent flag takes the user out of the agent list. */
  setUserObject(u: UserObject): void {
    this.saveUserObject(u);
    if ((u.flags & UserFlags.AGENT) === 0 && this.agents.has(u.userId)) this.removeAgent(u.userId);
    this.autoServe(u.userId);
    this.emit('changed', { reason: 'userObject' });
    this.scheduleDispatch();
  }

  /**
   * Auto mode (flags 0x10 with 0x02): an online agent that has not set a status is made idle (1)
   * at once, so customers reach it without the agent asking; after each call it is idle again.
   * Agents without it start not ready (0) and set their status themselves.
   */
  private autoServe(userId: number): void {
    const f = this.userObject(userId).flags;
    if ((f & UserFlags.AGENT) === 0 || (f & UserFlags.AUTO_MODE) === 0 || !this.platform.user(userId)) return;
    const cur = this.agents.get(userId);
    if (cur && cur.status !== AgentStatus.NOT_READY) return;
    this.setAgentStatus(userId, AgentStatus.IDLE);
  }

  private saveUserObject(u: UserObject): void {
    this.store.setUserObject(u).catch((err: unknown) => this.logger.warn({ err, userId: u.userId }, 'user object not stored; it holds for this run'));
    this.platform.setUserFlags?.(u.userId, u.flags);
  }

  // ---- agents ----------------------------------------------------------------------------------

  /** An agent sets its status (0 not ready, 1 idle, 3 away; 2 busy is set by the router). */
  setAgentStatus(userId: number, status: AgentStatusValue, areaGuid?: string | null): AgentState {
    const cur = this.agents.get(userId);
    if (status === AgentStatus.BUSY && cur?.servingUserId == null)
      throw new CodedError(Codes.GW_INVALID_PARAM, 'status 2 (busy) is set by the router while serving');
    if (cur && cur.servingUserId !== null && status !== AgentStatus.BUSY) {
      throw new CodedError(Codes.GW_INVALID_PARAM, 'agent is serving a customer; the status changes when the call ends');
    }
    const uo = this.userObject(userId);
    if ((uo.flags & UserFlags.AGENT) === 0) this.saveUserObject({ ...uo, flags: uo.flags | UserFlags.AGENT });
    const next: AgentState = {
      userId,
      status,
      areaGuid: areaGuid !== undefined ? areaGuid : (cur?.areaGuid ?? null),
      servingUserId: cur?.servingUserId ?? null,
      statusSince: cur?.status === status ? cur.statusSince : Date.now(),
    };
    this.agents.set(userId, next);
    if (cur?.status !== status) this.emitAgentStatus(userId, status);
    this.emit('changed', { reason: 'agentStatus' });
    this.scheduleDispatch();
    return next;
  }

  agent(userId: number): AgentState | undefined {
    return this.agents.get(userId);
  }

  private removeAgent(userId: number): void {
    const a = this.agents.get(userId);
    if (!a) return;
    this.agents.delete(userId);
    if (a.status !== AgentStatus.NOT_READY) this.emitAgentStatus(userId, AgentStatus.NOT_READY);
  }

  private emitAgentStatus(userId: number, status: AgentStatusValue): void {
    this.emit('agentStatus', { userId, userName: this.platform.user(userId)?.userName ?? '', status, time: Date.now() });
  }

  // ---- customers -------------------------------------------------------------------------------

  enterArea(userId: number, area: QueueObject): WaitingCustomer {
    const c: WaitingCustomer = { userId, areaGuid: area.objectguid, queueGuid: null, enteredAt: Date.now(), seq: ++this.seq, failures: 0 };
    this.customers.set(userId, c);
    this.emit('changed', { reason: 'enterArea' });
    return c;
  }

  enterQueue(userId: number, queue: QueueObject): { position: number; queueLength: number } {
    if (this.agents.get(userId)?.servingUserId != null) throw new CodedError(Codes.GW_INVALID_PARAM, 'an agent serving a customer cannot queue');
    const area = this.store.byId(ObjectTypes.AREA, queue.parentobjectid);
    const prev = this.customers.get(userId);
    const c: WaitingCustomer = {
      userId,
      areaGuid: area?.objectguid ?? prev?.areaGuid ?? null,
      queueGuid: queue.objectguid,
      enteredAt: Date.now(),
      seq: ++this.seq,
      failures: 0,
    };
    this.customers.set(userId, c);
    const waiting = this.waitingIn(queue.objectguid);
    const position = waiting.findIndex((w) => w.userId === userId) + 1;
    this.emit('changed', { reason: 'enterQueue' });
    this.scheduleDispatch();
    return { position, queueLength: waiting.length };
  }

  leave(userId: number): boolean {
    const had = this.customers.delete(userId);
    if (had) this.emit('changed', { reason: 'leave' });
    return had;
  }

  /** Customers waiting in a queue, in the order they will be served. */
  waitingIn(queueGuid: string): WaitingCustomer[] {
    // Higher user priority first (as routing serves them), then arrival.
    return [...this.customers.values()]
      .filter((c) => c.queueGuid === queueGuid)
      .sort((a, b) => this.userObject(b.userId).priority - this.userObject(a.userId).priority || a.seq - b.seq);
  }

  // ---- routing ----------------------------------------------------------------------------------

  /** Does this agent serve this queue? Area (if the agent has one), every required skill, queue groups. */
  agentMatches(agent: AgentState, queue: QueueObject): boolean {
    if (agent.areaGuid) {
      const area = this.store.get(agent.areaGuid);
      if (!area || area.objectid !== queue.parentobjectid) return false;
    }
    const uo = this.userObject(agent.userId);
    if (!queue.skillgroups.every((s) => uo.skillgroups.includes(s))) return false;
    if (uo.queuegroups.length > 0) {
      const allowed = new Set<number>();
      for (const gid of uo.queuegroups) for (const qid of this.store.byId(ObjectTypes.QUEUE_GROUP, gid)?.queuegroups ?? []) allowed.add(qid);
      if (!allowed.has(queue.objectid)) return false;
    }
    return true;
  }

  private scheduleDispatch(): void {
    if (this.dispatchScheduled || this.closed) return;
    this.dispatchScheduled = true;
    queueMicrotask(() => {
      this.dispatchScheduled = false;
      if (!this.closed) this.dispatch();
    });
  }

  /**
   * Customers by queue priority, then their own user priority (higher first), then arrival; each
   * goes to the matching idle agent that has been idle longest.
   */
  dispatch(): void {
    const rank = new Map<number, [number, number]>();
    for (const c of this.customers.values()) {
      if (c.queueGuid === null) continue;
      rank.set(c.userId, [this.store.get(c.queueGuid)?.priority ?? 0, this.userObject(c.userId).priority]);
    }
    const waiting = [...this.customers.values()]
      .filter((c) => c.queueGuid !== null)
      .sort((a, b) => {
        const [qa, ua] = rank.get(a.userId)!;
        const [qb, ub] = rank.get(b.userId)!;
        return qb - qa || ub - ua || a.seq - b.seq;
      });
    for (const c of waiting) {
      const queue = this.store.get(c.queueGuid!);
      if (!queue) continue;
      const idle = [...this.agents.values()]
        .filter((a) => a.status === AgentStatus.IDLE && a.servingUserId === null && a.userId !== c.userId && this.platform.user(a.userId))
        .filter((a) => this.agentMatches(a, queue))
        .sort((a, b) => a.statusSince - b.statusSince);
      const agent = idle[0];
      if (agent) this.assign(agent, c, queue);
    }
  }

  private assign(agent: AgentState, customer: WaitingCustomer, queue: QueueObject): void {
    this.customers.delete(customer.userId);
    agent.servingUserId = customer.userId;
    agent.status = AgentStatus.BUSY;
    agent.statusSince = Date.now();
    this.emitAgentStatus(agent.userId, AgentStatus.BUSY);
    this.emit('assigned', { agentUserId: agent.userId, customerUserId: customer.userId, queueGuid: queue.objectguid });
    this.emit('changed', { reason: 'assigned' });
    this.logger.info({ agent: agent.userId, customer: customer.userId, queue: queue.objectid }, 'queue: customer handed to agent');
    const userStr = JSON.stringify({ queueId: queue.objectid, queueGuid: queue.objectguid });
    const info = { agentUserId: agent.userId, customerUserId: customer.userId, queueId: queue.objectid, queueGuid: queue.objectguid };
    this.platform.notifyUser(agent.userId, 'queueAssigned', info);
    this.platform.notifyUser(customer.userId, 'queueAssigned', info);
    this.platform.startVideoCall(agent.userId, customer.userId, userStr).catch((err: unknown) => {
      this.logger.warn({ err: (err as Error).message, agent: agent.userId, customer: customer.userId }, 'queue: video call failed');
      if (this.agents.get(agent.userId) === agent && agent.servingUserId === customer.userId) this.freeAgent(agent.userId);
      // Back to its place in line unless it failed twice or left meanwhile.
      if (customer.failures < 1 && this.platform.user(customer.userId) && !this.customers.has(customer.userId) && this.store.get(queue.objectguid)) {
        this.customers.set(customer.userId, { ...customer, failures: customer.failures + 1 });
        this.emit('changed', { reason: 'requeued' });
        this.scheduleDispatch();
      }
    });
  }

  private freeAgent(userId: number): void {
    const a = this.agents.get(userId);
    if (!a || a.servingUserId === null) return;
    a.servingUserId = null;
    a.status = AgentStatus.IDLE;
    a.statusSince = Date.now();
    this.emitAgentStatus(userId, AgentStatus.IDLE);
    this.emit('changed', { reason: 'callEnded' });
    this.scheduleDispatch();
  }

  private onPlatformEvent(e: PlatformEvent): void {
    if (e.type === 'videoCall' && (e.eventType === 4 || (e.eventType === 2 && e.errorCode !== 0))) {
      for (const a of this.agents.values()) {
        if (a.servingUserId === null) continue;
        const pair = (a.userId === e.srcUserId && a.servingUserId === e.tarUserId) || (a.userId === e.tarUserId && a.servingUserId === e.srcUserId);
        if (pair) this.freeAgent(a.userId);
      }
    } else if (e.type === 'userLogin') {
      const uo = this.store.userObject(e.user.userId);
      if (uo) this.platform.setUserFlags?.(uo.userId, uo.flags);
      if (uo) this.autoServe(uo.userId);
    } else if (e.type === 'userLogout') {
      this.customers.delete(e.userId);
      for (const a of this.agents.values()) if (a.servingUserId === e.userId) this.freeAgent(a.userId);
      this.removeAgent(e.userId);
      this.emit('changed', { reason: 'logout' });
    }
  }

  // ---- status queries (object_status_get) -------------------------------------------------------

  private agentsIn(area: QueueObject): AgentState[] {
    return [...this.agents.values()].filter((a) => a.areaGuid === null || a.areaGuid === area.objectguid).sort((a, b) => a.userId - b.userId);
  }

  private queuesIn(area: QueueObject): QueueObject[] {
    return this.store.ofType(ObjectTypes.QUEUE).filter((q) => q.parentobjectid === area.objectid);
  }

  /** The infovalue for an info type, or an `{errorcode}` value when it does not apply. */
  statusInfo(
    object: QueueObject,
    infotype: number,
    userId: number | undefined,
    formatUser: (u: PlatformUser) => Record<string, unknown> = (u) => ({ userid: u.userId, username: u.userName }),
  ): Record<string, unknown> {
    const wrongType = { errorcode: Codes.GW_INVALID_PARAM };
    const isArea = object.objecttype === ObjectTypes.AREA;
    switch (infotype) {
      case InfoTypes.AREA_AGENT_COUNT:
        return isArea ? { errorcode: 0, agentcount: this.agentsIn(object).length } : wrongType;
      case InfoTypes.AREA_GUEST_COUNT:
        return isArea
          ? { errorcode: 0, guestcount: [...this.customers.values()].filter((c) => c.areaGuid === object.objectguid && c.queueGuid === null).length }
          : wrongType;
      case InfoTypes.AREA_QUEUED_USER_COUNT: {
        if (!isArea) return wrongType;
        const queues = new Set(this.queuesIn(object).map((q) => q.objectguid));
        return { errorcode: 0, queueusercount: [...this.customers.values()].filter((c) => c.queueGuid !== null && queues.has(c.queueGuid)).length };
      }
      case InfoTypes.AREA_QUEUE_COUNT:
        return isArea ? { errorcode: 0, queuecount: this.queuesIn(object).length } : wrongType;
      case InfoTypes.AREA_AGENT_ID_LIST: {
        if (!isArea) return wrongType;
        const ids = this.agentsIn(object).map((a) => a.userId);
        return { errorcode: 0, userscount: ids.length, useridlist: ids };
      }
      case InfoTypes.QUEUE_LENGTH:
        return object.objecttype === ObjectTypes.QUEUE ? { errorcode: 0, queuelength: this.waitingIn(object.objectguid).length } : wrongType;
      case InfoTypes.AGENT_STATUS: {
        const a = userId === undefined ? undefined : this.agents.get(userId);
        if (a) return { errorcode: 0, agentstatus: a.status };
        if (userId !== undefined && this.isAgent(userId)) return { errorcode: 0, agentstatus: AgentStatus.NOT_READY };
        return wrongType;
      }
      case InfoTypes.AGENT_SERVED_USER: {
        const a = userId === undefined ? undefined : this.agents.get(userId);
        if (!a) return wrongType;
        const u = a.servingUserId === null ? undefined : this.platform.user(a.servingUserId);
        if (!u) return { errorcode: 0 };
        return { errorcode: 0, ...formatUser(u) };
      }
      default:
        return wrongType;
    }
  }

  // ---- console ------------------------------------------------------------------------------------

  snapshot(): QueueSnapshot {
    const name = (id: number) => this.platform.user(id)?.userName ?? '';
    return {
      areas: this.store.ofType(ObjectTypes.AREA).map((a) => ({
        ...a,
        agentCount: this.agentsIn(a).length,
        guestCount: (this.statusInfo(a, InfoTypes.AREA_GUEST_COUNT, undefined).guestcount as number) ?? 0,
        queuedCount: (this.statusInfo(a, InfoTypes.AREA_QUEUED_USER_COUNT, undefined).queueusercount as number) ?? 0,
      })),
      queues: this.store.ofType(ObjectTypes.QUEUE).map((q) => ({
        ...q,
        waiting: this.waitingIn(q.objectguid).map((c) => ({ userId: c.userId, userName: name(c.userId), waitingSinceMs: c.enteredAt })),
      })),
      skills: this.store.ofType(ObjectTypes.SKILL),
      queueGroups: this.store.ofType(ObjectTypes.QUEUE_GROUP),
      agents: [...this.agents.values()].map((a) => ({ ...a, userName: name(a.userId), skillgroups: this.userObject(a.userId).skillgroups })),
      userObjects: this.store.allUserObjects(),
    };
  }

  /** A queue object was deleted: its waiting customers go back to being guests of their area. */
  objectDeleted(o: QueueObject): void {
    for (const c of this.customers.values()) {
      if (c.queueGuid === o.objectguid) c.queueGuid = null;
      if (c.areaGuid === o.objectguid) this.customers.delete(c.userId);
    }
    for (const a of this.agents.values()) if (a.areaGuid === o.objectguid) a.areaGuid = null;
    this.emit('changed', { reason: 'objectDeleted' });
  }

  // ---- client methods -----------------------------------------------------------------------------

  private findObject(type: number, data: Record<string, unknown>, idKey: string, guidKey: string): QueueObject {
    const guid = data[guidKey];
    const id = data[idKey];
    const o = typeof guid === 'string' ? this.store.get(guid) : Number.isInteger(id) ? this.store.byId(type, id as number) : undefined;
    if (!o || o.objecttype !== type) throw new CodedError(Codes.GW_INVALID_PARAM, `${idKey}: unknown object`);
    return o;
  }

  private registerClientMethods(): void {
    const asObject = (data: unknown): Record<string, unknown> => {
      if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new CodedError(Codes.BAD_REQUEST, 'data must be an object');
      return data as Record<string, unknown>;
    };
    const intArray = (v: unknown, field: string): number[] | undefined => {
      if (v === undefined) return undefined;
      if (!Array.isArray(v) || !v.every((x) => Number.isInteger(x))) throw new CodedError(Codes.BAD_REQUEST, `${field}: expected an integer array`);
      return v as number[];
    };
    this.unsubscribers.push(
      this.platform.registerClientMethod(QueueClientMethods.AGENT_STATUS, (userId, raw) => {
        const data = asObject(raw);
        const status = data.status;
        if (status !== 0 && status !== 1 && status !== 3) throw new CodedError(Codes.BAD_REQUEST, 'status: expected 0 (not ready), 1 (idle) or 3 (away)');
        const skills = intArray(data.skillgroups, 'skillgroups');
        const groups = intArray(data.queuegroups, 'queuegroups');
        if (skills || groups || data.priority !== undefined) {
          const uo = this.userObject(userId);
          this.saveUserObject({
            ...uo,
            flags: uo.flags | UserFlags.AGENT,
            skillgroups: skills ?? uo.skillgroups,
            queuegroups: groups ?? uo.queuegroups,
            priority: Number.isInteger(data.priority) ? (data.priority as number) : uo.priority,
          });
        }
        const area = data.areaId !== undefined || data.areaGuid !== undefined ? this.findObject(ObjectTypes.AREA, data, 'areaId', 'areaGuid') : undefined;
        const a = this.setAgentStatus(userId, status, area ? area.objectguid : undefined);
        return { status: a.status, areaGuid: a.areaGuid };
      }),
      this.platform.registerClientMethod(QueueClientMethods.ENTER_AREA, (userId, raw) => {
        const area = this.findObject(ObjectTypes.AREA, asObject(raw), 'areaId', 'areaGuid');
        this.enterArea(userId, area);
        return { areaGuid: area.objectguid, queues: this.queuesIn(area).map((q) => ({ queueId: q.objectid, queueGuid: q.objectguid, name: q.name })) };
      }),
      this.platform.registerClientMethod(QueueClientMethods.ENTER_QUEUE, (userId, raw) => {
        const queue = this.findObject(ObjectTypes.QUEUE, asObject(raw), 'queueId', 'queueGuid');
        return { queueGuid: queue.objectguid, ...this.enterQueue(userId, queue) };
      }),
      this.platform.registerClientMethod(QueueClientMethods.LEAVE, (userId) => {
        this.leave(userId);
        return {};
      }),
    );
  }
}
