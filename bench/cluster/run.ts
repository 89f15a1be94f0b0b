/**
 * Cluster bench: three local nodes (real host processes) on one throwaway PostgreSQL and Redis; N guest clients
 * spread over them log in, then pairs exchange transBuffers, same-node and cross-node pairs in
 * the same run, then pairs enter rooms by name (the second member through the room's owner or
 * through another node). Prints logins/s, message latency p50/p99 for both kinds, enterRoom
 * latency for a new name and for joining a room owned here or elsewhere, and each node's RSS.
 *   npx tsx bench/cluster/run.ts [--clients 300] [--messages 2000] [--rooms 200] [--seconds 60]
 * Every loop is bounded by a count and by --seconds.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { AnyChatClient, type SocketLike } from '../../shared/client';
import { startRedisServer } from '../../electron/cluster/testing/redisServer';
import { startPostgres } from '../../electron/store/testing/postgresServer';
import { startClusterHost, stopClusterHost, type ClusterHost } from '../../electron/cluster/testing/clusterHosts';

const { values: args } = parseArgs({
  options: {
    clients: { type: 'string', default: '300' },
    messages: { type: 'string', default: '2000' },
    rooms: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '60' },
  },
});
const CLIENTS = Math.max(6, Number(args.clients));
const MESSAGES = Math.max(10, Number(args.messages));
const ROOMS = Math.max(2, Number(args.rooms));
const deadline = Date.now() + Number(args.seconds) * 1000;

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

function pct(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
}

async function main(): Promise<void> {
  const [redis, pg] = await Promise.all([startRedisServer(), startPostgres()]);
  const hosts: ClusterHost[] = [];
  const clients: { c: AnyChatClient; node: number; userId: number }[] = [];
  try {
    const shared = { guestLogin: true, log: { level: 'warn' }, signaling: { maxRequestsPerSecond: 100_000 } };
    for (const [i, nodeId] of ['a', 'b', 'c'].entries())
      hosts.push(await startClusterHost({ nodeId, redisUrl: redis.url, postgresUrl: pg.url, shared, rtcMinPort: 47000 + i * 100 }));
    const rssIdle = hosts.map((h) => rssMb(h.proc.pid!));

    // Logins: every client to its node, 50 at a time.
    const t0 = performance.now();
    for (let i = 0; i < CLIENTS && Date.now() < deadline; i += 50) {
      const batch = [];
      for (let j = i; j < Math.min(CLIENTS, i + 50); j++) {
        const node = j % 3;
        batch.push(
          (async () => {
            const c = await AnyChatClient.connect(hosts[node]!.wsUrl, (u) => new WebSocket(u) as unknown as SocketLike);
            const r = await c.login(`bench-${j}`, '');
            clients.push({ c, node, userId: r.userId });
          })(),
        );
      }
      await Promise.all(batch);
    }
    const loginSeconds = (performance.now() - t0) / 1000;

    // Latency: the same number of same-node and cross-node transBuffers, interleaved.
    const same: number[] = [];
    const cross: number[] = [];
    const byNode = [0, 1, 2].map((n) => clients.filter((x) => x.node === n));
    for (const { c } of clients)
      c.on('transBuffer', (d) => {
        const [kind, at] = Buffer.from(d.data, 'base64').toString().split(':');
        (kind === 's' ? same : cross).push(performance.now() - Number(at));
      });
    let sent = 0;
    for (let i = 0; i < MESSAGES && Date.now() < deadline; i++) {
      const n = i % 3;
      const from = byNode[n]![i % byNode[n]!.length]!;
      const sameTo = byNode[n]![(i + 1) % byNode[n]!.length]!;
      const crossTo = byNode[(n + 1) % 3]![i % byNode[(n + 1) % 3]!.length]!;
      const to = i % 2 === 0 ? sameTo : crossTo;
      const kind = i % 2 === 0 ? 's' : 'x';
      await from.c.transBuffer(to.userId, new TextEncoder().encode(`${kind}:${performance.now()}`));
      sent++;
    }
    const settleUntil = Date.now() + 5000;
    while (same.length + cross.length < sent && Date.now() < settleUntil) await new Promise((r) => setTimeout(r, 20));
    same.sort((a, b) => a - b);
    cross.sort((a, b) => a - b);
    const rssLoaded = hosts.map((h) => rssMb(h.proc.pid!));

    // Room entries by name: a new name, then a second member through the same node (the owner) or another node, interleaved.
    const fresh: number[] = [];
    const joinHere: number[] = [];
    const joinElsewhere: number[] = [];
    const timed = async (list: number[], p: Promise<unknown>) => {
      const t = performance.now();
      await p;
      list.push(performance.now() - t);
    };
    for (let i = 0; i < ROOMS && Date.now() < deadline; i++) {
      const n = i % 3;
      const first = byNode[n]![i % byNode[n]!.length]!;
      const elsewhere = i % 2 === 1;
      const peers = byNode[elsewhere ? (n + 1) % 3 : n]!;
      const second = peers[(i + 1) % peers.length]!;
      const roomName = `bench-room-${i}`;
      await timed(fresh, first.c.enterRoom({ roomName }));
      await timed(elsewhere ? joinElsewhere : joinHere, second.c.enterRoom({ roomName }));
      await Promise.all([first.c.leaveRoom(), second.c.leaveRoom()]);
    }
    for (const l of [fresh, joinHere, joinElsewhere]) l.sort((a, b) => a - b);

    const f = (ms: number) => `${ms.toFixed(2)} ms`;
    console.log(`clients ${clients.length} over 3 nodes, ${sent} messages sent, ${same.length + cross.length} received`);
    console.log(`logins/s: ${(clients.length / loginSeconds).toFixed(0)} (${loginSeconds.toFixed(2)} s for ${clients.length})`);
    console.log(`same-node transBuffer latency:  p50 ${f(pct(same, 50))}  p99 ${f(pct(same, 99))}  (n=${same.length})`);
    console.log(`cross-node transBuffer latency: p50 ${f(pct(cross, 50))}  p99 ${f(pct(cross, 99))}  (n=${cross.length})`);
    console.log(`enterRoom, a new name:               p50 ${f(pct(fresh, 50))}  p99 ${f(pct(fresh, 99))}  (n=${fresh.length})`);
    console.log(`enterRoom, joining through its owner: p50 ${f(pct(joinHere, 50))}  p99 ${f(pct(joinHere, 99))}  (n=${joinHere.length})`);
    console.log(`enterRoom, joining through another:   p50 ${f(pct(joinElsewhere, 50))}  p99 ${f(pct(joinElsewhere, 99))}  (n=${joinElsewhere.length})`);
    for (const [i, h] of hosts.entries()) console.log(`node ${h.nodeId} RSS: ${rssIdle[i]} MiB idle, ${rssLoaded[i]} MiB with ${byNode[i]!.length} clients`);
  } finally {
    for (const { c } of clients) if (c.isOpen) c.close();
    await Promise.all(hosts.map((h) => stopClusterHost(h)));
    await redis.stop();
    pg.stop();
  }
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
