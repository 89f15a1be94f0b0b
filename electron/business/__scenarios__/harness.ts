/**
 * Scenario harness for the business layer: a real SQLite file, the SDK, the signaling server and
 * an HttpServer on an ephemeral port, the BusinessLayer on the SDK's public API, and real `ws`
 * clients (shared/client). The business layer runs on a ManualClock so seat time limits are
 * driven by the test; sockets and the SDK run on real time.
 */
import { pino } from 'pino';
import type WebSocket from 'ws';
import type { AnyChatClient, ClientEventName, ClientEvents } from '../../../shared/client';
import { configSchema } from '../../config/schema';
import type { AnyChatSdk } from '../../sdk';
import { startHarness } from '../../signaling/__scenarios__/harness';
import type { MediaPort, SignalingSettings } from '../../signaling';
import type { Db } from '../../store/Database';
import { BusinessLayer, type RoomsSettings } from '../BusinessLayer';
import { businessMigrations } from '../businessMigrations';
import { ManualClock } from '../clock';

export const USERS = Array.from({ length: 8 }, (_, i) => ({
  userName: `u${i + 1}`,
  password: `pw${i + 1}`,
  userId: 2001 + i,
  level: 0,
  nickName: `User ${i + 1}`,
}));

export interface BizHarness {
  sdk: AnyChatSdk;
  business: BusinessLayer;
  clock: ManualClock;
  db: Db;
  url: string;
  /** Logs in user n (1-based): userId 2000 + n. */
  login(n: number): Promise<AnyChatClient>;
  /** The `ws` socket under a client (to make it go silent). */
  socketOf(c: AnyChatClient): WebSocket;
  close(): Promise<void>;
}

export async function startBusiness(
  opts: { rooms?: Partial<RoomsSettings>; media?: MediaPort; signaling?: Partial<SignalingSettings> } = {},
): Promise<BizHarness> {
  // The SDK + signaling + HTTP stack is the signaling scenarios' own harness; this adds the
  // business layer on a manual clock.
  const base = await startHarness({
    users: USERS,
    migrations: businessMigrations,
    media: opts.media,
    logLevel: process.env.BIZ_LOG,
    sdk: { loginFailuresBeforeLock: 5, hookTimeoutMs: 2000, callTimeoutSeconds: 10, maxFileBytes: 1024 * 1024 },
    signaling: { pingIntervalSeconds: 5, silentTimeoutSeconds: 60, maxRequestsPerSecond: 500, ...opts.signaling },
  });
  const { sdk, db } = base;
  const clock = new ManualClock(Date.now());
  const rooms = { ...configSchema.parse({}).rooms, ...opts.rooms };
  const business = await BusinessLayer.create({ sdk, db, config: { rooms }, logger: pino({ level: process.env.BIZ_LOG ?? 'silent' }), clock });
  const clients: AnyChatClient[] = [];
  return {
    sdk,
    business,
    clock,
    db,
    url: base.url,
    async login(n) {
      const u = USERS[n - 1]!;
      const c = await base.connect();
      clients.push(c);
      await c.login(u.userName, u.password);
      return c;
    },
    socketOf: (c) => base.socketOf(c),
    async close() {
      for (const c of clients) base.socketOf(c).terminate();
      business.close();
      await base.close();
    },
  };
}

/** Collects every notification of one kind a client receives, for later assertions. */
export function collect<K extends ClientEventName>(c: AnyChatClient, name: K): ClientEvents[K][] {
  const got: ClientEvents[K][] = [];
  c.on(name, (d) => got.push(d));
  return got;
}

/** Polls until `fn` stops throwing (assertions on state that arrives asynchronously). */
export async function eventually(fn: () => void | Promise<void>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      await fn();
      return;
    } catch (err) {
      if (Date.now() > end) throw err;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

export { expectCode } from '../../signaling/__scenarios__/harness';

export const uid = (n: number) => 2000 + n;
