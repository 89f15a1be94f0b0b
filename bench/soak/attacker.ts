/**
 * The soak bench's attacker process: `total` malformed, oversized and flooding frames spread over
 * `sockets` WebSockets (reconnecting when the host closes one). Prints one JSON line of figures.
 *
 *   npx tsx bench/soak/attacker.ts ws://127.0.0.1:8600/ws 10000 50
 */
import WebSocket from 'ws';

const [url, totalText, socketsText] = process.argv.slice(2);
const TOTAL = Number(totalText ?? 10_000);
const SOCKETS = Number(socketsText ?? 50);
const perSocket = Math.ceil(TOTAL / SOCKETS);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const kinds = ['badjson', 'binary', 'flood', 'oversized', 'noid', 'array'] as const;
const oversized = 'x'.repeat(70 * 1024);
const closes: Record<string, number> = {};
let framesSent = 0;
let answers = 0;
const t0 = Date.now();

await Promise.all(
  Array.from({ length: SOCKETS }, async (_, s) => {
    let left = perSocket;
    let i = 0;
    while (left > 0 && framesSent < TOTAL && Date.now() - t0 < 120_000) {
      const ws = new WebSocket(url!);
      const open = await new Promise<boolean>((r) => {
        ws.once('open', () => r(true));
        ws.once('error', () => r(false));
      });
      if (!open) {
        await sleep(50);
        continue;
      }
      ws.on('message', () => answers++);
      ws.on('error', () => undefined);
      const closed = new Promise<void>((r) =>
        ws.once('close', (code) => {
          closes[code] = (closes[code] ?? 0) + 1;
          r();
        }),
      );
      while (left > 0 && framesSent < TOTAL && ws.readyState === ws.OPEN) {
        const kind = kinds[(s + i++) % kinds.length]!;
        left--;
        framesSent++;
        if (kind === 'badjson') ws.send('{"id":1,"method":');
        else if (kind === 'binary') ws.send(Buffer.from([0xff, 0, 1, 2]), { binary: true });
        else if (kind === 'flood') ws.send(JSON.stringify({ id: i, method: 'ping', data: {} }));
        else if (kind === 'oversized') ws.send(oversized);
        else if (kind === 'noid') ws.send(JSON.stringify({ method: 'login', data: { userName: 'x', password: 'y' } }));
        else ws.send('[1,2,3]');
        if (i % 10 === 0) await sleep(1);
      }
      if (ws.readyState === ws.OPEN) ws.close(1000);
      await Promise.race([closed, sleep(2000)]);
      ws.terminate();
    }
  }),
);
process.stdout.write(`${JSON.stringify({ framesSent, sockets: SOCKETS, answers, closes, seconds: (Date.now() - t0) / 1000 })}\n`);
process.exit(0);
