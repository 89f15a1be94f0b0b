/**
 * Shared-store benchmark: the webhook outbox end to end (enqueue → claim → HTTP 200 → delete) on
 * the embedded SQLite with one pump, and on a throwaway PostgreSQL with one and with three pumps
 * (three nodes racing for the same line); plus the shared store's point reads (a ban look-up, what
 * every login asks) on each.
 *
 *   npx tsx bench/store/shared.ts [--notices 2000] [--reads 5000]
 *
 * Prints notices/s delivered and reads/s. Bounded: every phase stops at its count or after 60 s.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { NotifyOutbox, outboxMigrations, outboxPgMigrations } from '../../electron/gateway/outbox/NotifyOutbox';
import { SdkStore, sdkMigrations, sdkPgMigrations } from '../../electron/sdk/SdkStore';
import { openDatabase, runMigrations } from '../../electron/store/Database';
import { PostgresClient } from '../../electron/store/sql/PostgresClient';
import { runPostgresMigrations } from '../../electron/store/sql/postgresMigrations';
import type { SqlClient } from '../../electron/store/sql/SqlClient';
import { sqliteClientFor } from '../../electron/store/sql/SqliteClient';
import { postgresUnavailableReason, startPostgres } from '../../electron/store/testing/postgresServer';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
}
const NOTICES = flag('--notices', 2000);
const READS = flag('--reads', 5000);
const LIMIT_MS = 60_000;

async function receiver(): Promise<{ url: string; count: () => number; close: () => Promise<void> }> {
  let n = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      n++;
      res.end('success');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`,
    count: () => n,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

async function outboxRun(label: string, stores: SqlClient[]): Promise<void> {
  const rx = await receiver();
  const appId = `BENCH-${label}`;
  const pumps = await Promise.all(
    stores.map((db, i) =>
      NotifyOutbox.create({
        db,
        owner: `node-${i}`,
        sweepMs: stores.length > 1 ? 200 : 0,
        apps: [{ appId, callbackUrl: rx.url, retry: { initialDelayMs: 100, maxDelayMs: 1000, maxAttempts: 5 } }],
        sign: () => ({ timestamp: '20260101000000', signtype: 'MD5', signstr: 'x' }),
        logger: pino({ level: 'silent' }),
        timeoutMs: 5000,
        deliveryLogMax: 10_000,
      }),
    ),
  );
  const start = performance.now();
  for (let i = 0; i < NOTICES; i++) pumps[i % pumps.length]!.enqueue(appId, 'userlogin_notify', { userid: i });
  while (rx.count() < NOTICES && performance.now() - start < LIMIT_MS) await new Promise((r) => setTimeout(r, 5));
  const ms = performance.now() - start;
  const perPump = pumps.map((p) => p.attempts.delivered);
  for (const p of pumps) p.close();
  await rx.close();
  console.log(
    `${label.padEnd(26)} ${String(rx.count()).padStart(6)} notices in ${(ms / 1000).toFixed(2)} s = ${Math.round((rx.count() / ms) * 1000)
      .toString()
      .padStart(6)}/s  (per pump: ${perPump.join(' / ')})`,
  );
}

async function readRun(label: string, db: SqlClient): Promise<void> {
  const s = new SdkStore(db);
  for (let i = 0; i < 100; i++) await s.ban(i, Date.now() + 60_000, 'bench');
  const start = performance.now();
  let n = 0;
  while (n < READS && performance.now() - start < LIMIT_MS) await s.activeBan(n++ % 200);
  const ms = performance.now() - start;
  console.log(
    `${label.padEnd(26)} ${String(n).padStart(6)} ban look-ups in ${(ms / 1000).toFixed(2)} s = ${Math.round((n / ms) * 1000)
      .toString()
      .padStart(6)}/s`,
  );
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-shared-'));
  const db = openDatabase(dir);
  runMigrations(db, [...outboxMigrations, ...sdkMigrations]);
  const sqlite = sqliteClientFor(db);
  await outboxRun('outbox sqlite, 1 pump', [sqlite]);
  await readRun('reads sqlite', sqlite);
  db.close();
  rmSync(dir, { recursive: true, force: true });

  const why = postgresUnavailableReason();
  if (why) {
    console.log(`postgres: skipped (${why})`);
    return;
  }
  const pg = await startPostgres('bench');
  const clients = [0, 1, 2].map(() => new PostgresClient(pg.url, { max: 4 }));
  try {
    await runPostgresMigrations(clients[0]!, [...outboxPgMigrations, ...sdkPgMigrations]);
    await outboxRun('outbox postgres, 1 pump', [clients[0]!]);
    await outboxRun('outbox postgres, 3 pumps', clients);
    await readRun('reads postgres', clients[0]!);
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    pg.stop();
  }
}

await main();
