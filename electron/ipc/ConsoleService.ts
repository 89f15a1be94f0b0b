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
import { BanBook } from '../console/toView';
import { callsHandlers } from '../console/handlers/callsHandlers';
import { gatewayHandlers } from '../console/handlers/gatewayHandlers';
import { observabilityHandlers } from '../console/handlers/observabilityHandlers';
import { ActiveRecordings, recordingsHandlers } from '../console/handlers/recordingsHandlers';
import { mediaStats, SpeakerTracker } from '../console/mediaStats';
import { PreviewSessions, previewHandlers } from '../console/handlers/previewHandlers';
import { StatsTicker } from '../console/StatsTicker';
import { roomsHandlers, type RoomMediaView } from '../console/handlers/roomsHandlers';
import type { CallerContext, Handler, HandlerDeps, HandlerMap } from '../console/handlers/types';
import { usersHandlers } from '../console/handlers/usersHandlers';
import type { Core } from '../core/Core';
import { TypedEmitter } from '../util/TypedEmitter';
import { SDK_VERSION } from '../util/version';

export type { CallerContext };

export class ConsoleService {
  readonly events = new TypedEmitter<ConsoleEvents>();
  private readonly handlers: HandlerMap;
  private readonly feeds: ConsoleFeeds;
  private readonly stats: StatsTicker;
  private readonly previews: PreviewSessions | null;
  private readonly stopAlerts: () => void;

  constructor(
    private readonly core: Core,
  ) {
    const deps: HandlerDeps = {
      core,
      audited: (caller, action, target, params, fn) => core.audit.run(caller.operator, action, target, params, fn),
    };
    const active = new ActiveRecordings(deps, this.events);
    const bans = new BanBook(() => core.components.sdk);
    const { sdk, business, platform, media, signaling } = core.components;
    const rooms = signaling.roomMedia;
    const roomMedia: RoomMediaView = {
      producersOf: (roomId) => rooms?.producersOfRoom(roomId) ?? [],
      recordingsOf: (roomId) => active.ofRoom(roomId),
    };
    this.previews = rooms ? new PreviewSessions(rooms, this.events) : null;
    const speakers = new SpeakerTracker();
    const roomOfRouter = (router: { id: string }) => rooms?.roomOfRouterId(router.id) ?? null;
    this.stats = new StatsTicker(
      {
        usersOnline: () => sdk.onlineUserCount(),
        roomCount: () => business.listRooms().length,
        activeCalls: () => sdk.listCalls().length,
        recordingsToday: () => {
          const midnight = new Date();
          midnight.setHours(0, 0, 0, 0);
          return platform.files.query({ fromMs: midnight.getTime(), toMs: Date.now() + 60_000, typeMask: 1, exactName: false, offset: 0, limit: 1 }).total;
        },
        media: () => mediaStats(media, roomOfRouter, speakers),
      },
      core.logger.child({ component: 'console-stats' }),
    );
    this.stats.on('tick', (t) => this.events.emit('stats:tick', t));
    this.stats.start();
    this.handlers = Object.assign(
      {
        'app:info': (_args, caller) => ({
          version: SDK_VERSION,
          shell: caller.shell,
          operator: caller.operator,
          startedAt: core.startedAt,
          sdkVersion: SDK_VERSION,
        }),
        'status:snapshot': () => core.status.snapshot(),
        'dashboard:snapshot': () => this.stats.snapshot(),
        'demo:info': () => core.demo?.info() ?? null,
      } satisfies HandlerMap,
      recordingsHandlers(deps, active),
      this.previews ? previewHandlers(this.previews) : {},
      usersHandlers(deps, bans),
      roomsHandlers(deps, roomMedia),
      callsHandlers(deps),
      gatewayHandlers(deps),
      observabilityHandlers(deps),
    );
    this.stopAlerts = core.components.observability.on('alert', (a) => this.events.emit('alerts:raised', a));
    this.feeds = new ConsoleFeeds(core, this.events, bans);
  }

  /** Validates the arguments, runs the handler and wraps the outcome in the wire envelope. */
  async call<K extends CallName>(name: K, rawArgs: unknown, caller: CallerContext): Promise<Result<CallResult<K>>> {
    const parsed = callArgSchemas[name].safeParse(rawArgs ?? {});
    if (!parsed.success) {
      return { ok: false, error: { code: Codes.BAD_REQUEST, message: `${name}: ${describeIssues(parsed.error.issues, 'args')}` } };
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
    this.stopAlerts();
    this.stats.stop();
    this.previews?.closeAll();
    this.feeds.close();
    this.events.removeAllListeners();
  }
}
