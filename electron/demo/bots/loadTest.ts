/**
 * The load test behind `npm run bots` (like LiveKit's `lk load-test`): N rooms, each with K
 * publishing bots and M viewing bots, for S seconds; then a summary of logins, media
 * connections, packets sent and packets viewers received from each publisher.
 * Bots log in as guests (the host must allow guest login).
 */
import { randomBytes } from 'node:crypto';
import { Bot } from './Bot';

export interface LoadTestOptions {
  url: string;
  rooms: number;
  publishers: number;
  viewers: number;
  seconds: number;
  /** Room names are `<prefix>-<n>`; default `load-<random>`. */
  roomPrefix?: string;
  log?: (line: string) => void;
  /** Aborting ends the run early (Ctrl-C): the summary covers what ran so far. */
  signal?: AbortSignal;
}

export interface LoadTestSummary {
  rooms: number;
  logins: { ok: number; failed: number };
  /** Bots whose media transport connected (publishers sending, viewers receiving). */
  mediaConnected: { publishers: number; viewers: number };
  packetsSent: number;
  packetsReceivedByViewers: number;
  /** (viewer, publisher) pairs in a room where the viewer got both audio and video. */
  pairsComplete: number;
  pairsExpected: number;
  /** Every viewer received audio and video from every publisher of its room. */
  allViewersReceivedAll: boolean;
  errors: string[];
}

export async function runLoadTest(opts: LoadTestOptions): Promise<LoadTestSummary> {
  const log = opts.log ?? (() => undefined);
  const prefix = opts.roomPrefix ?? `load-${randomBytes(3).toString('hex')}`;
  const errors: string[] = [];
  const fail = (what: string) => (err: unknown) => {
    errors.push(`${what}: ${(err as Error).message}`);
    return null;
  };
  log(`bots: ${opts.rooms} room(s) × (${opts.publishers} publisher(s) + ${opts.viewers} viewer(s)) against ${opts.url}, ${opts.seconds} s`);
  const rooms: { name: string; publishers: Bot[]; viewers: Bot[] }[] = [];
  let loginsOk = 0;
  let loginsFailed = 0;
  for (let r = 0; r < opts.rooms; r++) {
    const name = `${prefix}-${r + 1}`;
    const room = { name, publishers: [] as Bot[], viewers: [] as Bot[] };
    rooms.push(room);
    const join = async (role: 'publisher' | 'viewer', i: number): Promise<Bot | null> => {
      const bot = await Bot.login({ url: opts.url, userName: `${name}-${role}-${i + 1}` }).catch(fail(`login ${name} ${role} ${i + 1}`));
      if (!bot) {
        loginsFailed++;
        return null;
      }
      loginsOk++;
      const entered = await bot.enterRoom({ roomName: name }, role === 'publisher' ? 'interactive' : 'audience').catch(fail(`enter ${name}`));
      return entered === null ? (await bot.close(), null) : bot;
    };
    // Viewers first, so they see every publisher arrive (newProducer) as a browser would.
    for (let i = 0; i < opts.viewers; i++) {
      const v = await join('viewer', i);
      if (v && (await v.view().then(() => true, fail(`viewer ${v.userId} media`)))) room.viewers.push(v);
      else if (v) await v.close();
    }
    for (let i = 0; i < opts.publishers; i++) {
      const p = await join('publisher', i);
      if (p && (await p.publish(((r * opts.publishers + i) * 700) % 6000).then(() => true, fail(`publisher ${p.userId} media`)))) room.publishers.push(p);
      else if (p) await p.close();
    }
    log(`room ${name}: ${room.publishers.length} publishing, ${room.viewers.length} viewing`);
  }
  const all = rooms.flatMap((r) => [...r.publishers, ...r.viewers]);
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, opts.seconds * 1000);
    function done() {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', done);
      resolve();
    }
    if (opts.signal?.aborted) return done();
    opts.signal?.addEventListener('abort', done, { once: true });
  });

  let pairsComplete = 0;
  let pairsExpected = 0;
  let received = 0;
  for (const room of rooms) {
    for (const v of room.viewers) {
      const got = v.receivedByUser();
      for (const e of got.values()) received += e.audio + e.video;
      for (const p of room.publishers) {
        pairsExpected++;
        const e = got.get(p.userId);
        if (e && e.audio > 0 && e.video > 0) pairsComplete++;
        else errors.push(`viewer ${v.userId} in ${room.name} got ${e ? `${e.audio} audio / ${e.video} video` : 'nothing'} from publisher ${p.userId}`);
      }
    }
  }
  const summary: LoadTestSummary = {
    rooms: opts.rooms,
    logins: { ok: loginsOk, failed: loginsFailed },
    mediaConnected: { publishers: rooms.reduce((s, r) => s + r.publishers.length, 0), viewers: rooms.reduce((s, r) => s + r.viewers.length, 0) },
    packetsSent: rooms.reduce((s, r) => s + r.publishers.reduce((t, p) => t + p.packetsSent, 0), 0),
    packetsReceivedByViewers: received,
    pairsComplete,
    pairsExpected: opts.rooms * opts.publishers * opts.viewers,
    allViewersReceivedAll: pairsExpected === opts.rooms * opts.publishers * opts.viewers && pairsComplete === pairsExpected,
    errors,
  };
  await Promise.all(all.map((b) => b.close()));
  return summary;
}

export function formatSummary(s: LoadTestSummary): string {
  return [
    `logins:           ${s.logins.ok} ok, ${s.logins.failed} failed`,
    `media connected:  ${s.mediaConnected.publishers} publisher(s), ${s.mediaConnected.viewers} viewer(s)`,
    `packets sent:     ${s.packetsSent}`,
    `received by viewers: ${s.packetsReceivedByViewers} packets; ${s.pairsComplete}/${s.pairsExpected} viewer×publisher pairs got audio + video`,
    `result:           ${s.allViewersReceivedAll ? 'every viewer received every publisher' : 'INCOMPLETE'}`,
    ...s.errors.slice(0, 20).map((e) => `error: ${e}`),
  ].join('\n');
}
