/**
 * Implements the console IPC contract (shared/ipc/contract.ts) on the core. Both transports —
 * Electron's ipcMain (main.ts) and the host's console WebSocket (host/consoleSocket.ts) — go
 * through `call()` and `events`, so a screen behaves the same in either shell. Handlers live in
 * electron/console/handlers/, one module per domain; operator actions are audited.
 */
import { Codes, isCodedError } from '../../shared/codes';
import { describeIssues } from '../../shared/validation';
import type { CallArgs, CallName, CallResult, ConsoleEvents } from '../../shared/ipc/contract';
import { callArgSchemas } from '../../shared/ipc/validators';
import type { Result } from '../../shared/result';
import { ConsoleFeeds } from '../console/ConsoleFeeds';
import { BanBook, banBookMigrations } from '../console/banBook';
import { UserHistory, userHistoryMigrations } from '../console/userHistory';
import { runMigrations } from '../store/Database';
import { clusterHandlers } from '../console/handlers/clusterHandlers';
import { callsHandlers } from '../console/handlers/callsHandlers';
import { gatewayHandlers } from '../console/handlers/gatewayHandlers';
import { observabilityHandlers } from '../console/handlers/observabilityHandlers';
import { ActiveRecordings, recordingsHandlers } from '../console/handlers/recordingsHandlers';
import { mediaStats, SpeakerTracker } from '../console/mediaStats';
import { PreviewSessions, previewHandlers, previewsUnavailable } from '../console/handlers/previewHandlers';
import { StatsTicker } from '../console/StatsTicker';
import { roomsHandlers, type RoomMediaView } from '../console/handlers/roomsHandlers';
import type { CallerContext, CompleteHandlerMap, Handler, HandlerDeps, HandlerMap } from '../console/handlers/types';
import { usersHandlers } from '../console/handlers/usersHandlers';
import { operatorsHandlers } from '../console/handlers/operatorsHandlers';
import { mayCall, requiredRole } from '../../shared/ipc/roles';
import type { Core } from '../core/Core';
import { TypedEmitter } from '../util/TypedEmitter';
import { SDK_VERSION } from '../util/version';

export type { CallerContext };

export class ConsoleService {
  readonly events = new TypedEmitter<ConsoleEvents>();
  private readonly handlers: CompleteHandlerMap;
  private readonly feeds: ConsoleFeeds;
  private readonly stats: StatsTicker;
  private readonly previews: PreviewSessions | null;
  private readonly unsubs: (() => void)[] = [];
  private readonly stopAlerts: () => void;

  constructor(private readonly core: Core) {
    // Names go into the audit entry when it is written, so it reads in names even after the user has left.
    let nameParams = (params: Record<string, unknown>) => params;
    const deps: HandlerDeps = {
      core,
      audited: (caller, action, target, params, fn) => core.audit.run(caller.operator, action, target, nameParams(params), fn),
    };
    const active = new ActiveRecordings(deps, this.events);
    // The console's own tables (login history, ban details) live in the core's store.
    runMigrations(core.db, [...userHistoryMigrations, ...banBookMigrations], core.logger);
    const history = new UserHistory(core.db);
    nameParams = (params) => {
      const out = { ...params };
      if (typeof params.userId === 'number') {
        const u = core.components.sdk.getOnlineUser(params.userId);
        const seen = u ? null : history.get(params.userId);
        const nick = u?.nickName ?? seen?.nickName;
        const name = u?.userName ?? seen?.userName;
        if (nick || name) out.userName = nick || name;
      }
      if (typeof params.roomId === 'number' && params.roomId > 0) {
        const roomName =
          core.components.business.listRooms().find((r) => r.roomId === params.roomId)?.name || core.components.sdk.getRoom(params.roomId)?.roomName;
        if (roomName) out.roomName = roomName;
      }
      return out;
    };
    const bans = new BanBook(core.store.shared, () => core.components.sdk, history);
    core.components.sdk.loginBanCheck = (login) => bans.banFor(login);
    const chatName = (userId: number) => {
      const u = core.components.sdk.getOnlineUser(userId);
      const seen = u ? null : history.get(userId);
      return u?.nickName || u?.userName || seen?.nickName || seen?.userName || '';
    };
    const { sdk, business, platform, media, signaling } = core.components;
    const rooms = signaling.roomMedia;
    const roomMedia: RoomMediaView = {
      producersOf: (roomId) => rooms?.producersOfRoom(roomId) ?? [],
      recordingsOf: (roomId) => active.ofRoom(roomId),
    };
    this.previews = rooms ? new PreviewSessions(rooms, this.events) : null;
    const speakers = new SpeakerTracker();
    const roomOfRouter = (router: { id: string }) => rooms?.roomOfRouterId(router.id) ?? null;
    let recordingsToday = 0;
    this.stats = new StatsTicker(
      {
        usersOnline: () => sdk.onlineUserCount(),
        roomCount: () => business.listRooms().length,
        activeCalls: () => sdk.listCalls().length,
        // The index is read in the background; each tick shows the count the last read found.
        recordingsToday: () => {
          const midnight = new Date();
          midnight.setHours(0, 0, 0, 0);
          platform.files.query({ fromMs: midnight.getTime(), toMs: Date.now() + 60_000, typeMask: 1, exactName: false, offset: 0, limit: 1 }).then(
            (r) => (recordingsToday = r.total),
            () => undefined,
          );
          return recordingsToday;
        },
        media: () => mediaStats(media, roomOfRouter, speakers),
      },
      core.logger.child({ component: 'console-stats' }),
    );
    this.stats.on('tick', (t) => this.events.emit('stats:tick', t));
    this.stats.start();
    // Spread, not Object.assign: the spread keeps each module's exact keys, so a call of the
    // contract without a handler fails to compile here.
    this.handlers = {
      ...({
        'app:info': (_args, caller) => ({
          version: SDK_VERSION,
          shell: caller.shell,
          operator: caller.operator,
          role: roleOf(caller),
          startedAt: core.startedAt,
          sdkVersion: SDK_VERSION,
        }),
        'status:snapshot': () => core.status.snapshot(),
        'dashboard:snapshot': () => this.stats.snapshot(),
        'demo:info': () => core.demo?.info() ?? null,
      } satisfies HandlerMap),
      ...recordingsHandlers(deps, active),
      ...(this.previews ? previewHandlers(this.previews) : previewsUnavailable()),
      ...usersHandlers(deps, bans, history),
      ...roomsHandlers(deps, roomMedia, chatName, async (roomId) => core.config.rooms.chatLog || (await business.chatHistory({ roomId, limit: 1 })).length > 0),
      ...callsHandlers(deps),
      ...clusterHandlers(deps),
      ...gatewayHandlers(deps),
      ...observabilityHandlers(deps),
      ...operatorsHandlers(deps, core.operatorAuth),
    };
    this.stopAlerts = core.components.observability.on('alert', (a) => this.events.emit('alerts:raised', a));
    this.unsubs.push(core.operatorAuth.on('changed', (e) => this.events.emit('operators:changed', e)));
    this.feeds = new ConsoleFeeds(core, this.events, bans, history, chatName);
  }

  /** Validates the arguments, runs the handler and wraps the outcome in the wire envelope. */
  async call<K extends CallName>(name: K, rawArgs: unknown, caller: CallerContext): Promise<Result<CallResult<K>>> {
    const parsed = callArgSchemas[name].safeParse(rawArgs ?? {});
    if (!parsed.success) {
      return { ok: false, error: { code: Codes.BAD_REQUEST, message: `${name}: ${describeIssues(parsed.error.issues, 'args')}` } };
    }
    // Roles are enforced here, for every transport, before any handler runs.
    const role = roleOf(caller);
    if (!mayCall(role, name)) {
      this.core.logger.warn({ call: name, operator: caller.operator, role }, 'console call refused: role');
      return { ok: false, error: { code: Codes.FORBIDDEN, message: `${name} needs the ${requiredRole(name)} role; ${caller.operator} is ${role}` } };
    }
    const handler = this.handlers[name] as Handler<K> | undefined;
    if (!handler) return { ok: false, error: { code: Codes.UNAVAILABLE, message: `${name} is not available in this build` } };
    try {
      return { ok: true, value: await handler(parsed.data as CallArgs<K>, caller) };
    } catch (err) {
      if (isCodedError(err)) return { ok: false, error: { code: err.code, message: err.message } };
      this.core.logger.error({ err, call: name }, 'console call failed');
      return { ok: false, error: { code: Codes.INTERNAL, message: 'internal error' } };
    }
  }

  close(): void {
    this.unsubs.forEach((u) => u());
    this.stopAlerts();
    this.stats.stop();
    this.previews?.closeAll();
    this.feeds.close();
    this.events.removeAllListeners();
  }
}

/** The Electron app's local operator (no role on its context) is an admin. */
function roleOf(caller: CallerContext) {
  return caller.role ?? 'admin';
}
