/**
 * Store benchmark: node:sqlite (what the store runs on) against better-sqlite3 (what it ran on
 * before), same pragmas as electron/store/Database.ts (WAL, synchronous NORMAL), same SQL:
 *
 *   - 100k inserts in one transaction
 *   - 10k autocommit inserts (one transaction each)
 *   - 100k point reads by primary key
 *
 *   npx tsx bench/store/run.ts [--rows 100000] [--autocommit 10000] [--reads 100000] [--rounds 3] [--no-compare]
 *
 * Each round measures both drivers, alternating which goes first, on fresh files; the figures
 * are the medians over the rounds (the machine may be shared, so one run alone is noisy).
 *
 * better-sqlite3 is not a dependency any more (it is a native addon); to compare, the bench
 * installs it into a directory under the system temp dir with `npm install --prefix` (it compiles
 * with node-gyp against this Node's headers where no prebuild matches; the directory is kept, per
 * Node ABI, for the next run) and loads it from there. Without it, only node:sqlite is measured.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';

interface Statement {
  run(...params: unknown[]): unknown;
  get(...params: unknown[]): unknown;
}
/** The few calls the bench needs, which both drivers offer under the same names. */
interface Driver {
  name: string;
  exec(sql: string): void;
  prepare(sql: string): Statement;
  close(): void;
}

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const n = Number(process.argv[i + 1]);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name}: expected a positive integer`);
  return n;
}
const rows = flag('--rows', 100_000);
const autocommitRows = flag('--autocommit', 10_000);
const reads = flag('--reads', 100_000);
const rounds = flag('--rounds', 3);
const compare = !process.argv.includes('--no-compare');

const workDir = mkdtempSync(path.join(os.tmpdir(), 'anychat-store-bench-'));

function openNodeSqlite(file: string): Driver {
  const db = new DatabaseSync(file);
  return {
    name: 'node:sqlite',
    exec: (sql) => db.exec(sql),
    prepare: (sql) => db.prepare(sql) as unknown as Statement,
    close: () => db.close(),
  };
}

type BetterCtor = new (file: string) => { exec(sql: string): void; prepare(sql: string): Statement; close(): void };

/**
 * Where this Node's C headers are: next to its binary, or (the `node` npm package copies the
 * binary to node_modules/node/bin) in the platform package it installed under node_modules/node.
 */
function nodeHeadersDir(): string | null {
  const home = path.dirname(path.dirname(process.execPath));
  const candidates = [home, path.join(home, 'node_modules', `node-${process.platform}-${process.arch}`)];
  return candidates.find((dir) => existsSync(path.join(dir, 'include', 'node', 'node_version.h'))) ?? null;
}

/** Installs better-sqlite3@12 into a temp prefix and loads it; null with the reason when it cannot. */
function loadBetterSqlite(): { ctor: BetterCtor | null; reason: string } {
  // Kept between runs (keyed by Node's ABI) so only the first run pays for the compile.
  const prefix = path.join(os.tmpdir(), `anychat-bench-better-sqlite3-abi${process.versions.modules}`);
  const cached = tryLoad(prefix);
  if (cached) {
    console.log(`better-sqlite3 from the cache in ${prefix}`);
    return { ctor: cached, reason: '' };
  }
  process.stdout.write('installing better-sqlite3@12 into a temporary prefix (may compile with node-gyp) … ');
  const t0 = performance.now();
  // Compile against the Node running this bench: its headers (the pinned `node` package ships
  // them) and its binary first on PATH, whatever nodedir the machine's npm config names.
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}` };
  const nodeDir = nodeHeadersDir();
  if (nodeDir) env.npm_config_nodedir = nodeDir;
  const r = spawnSync('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--no-save', 'better-sqlite3@12'], {
    encoding: 'utf8',
    env,
    timeout: 10 * 60_000,
  });
  process.stdout.write(`${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  if (r.status !== 0) {
    const why = (r.stderr || r.stdout || String(r.error ?? '')).trim().split('\n').slice(-1)[0];
    return { ctor: null, reason: `npm install failed: ${why}` };
  }
  try {
    return { ctor: load(prefix), reason: '' };
  } catch (err) {
    return { ctor: null, reason: `cannot be loaded: ${(err as Error).message.split('\n')[0]}` };
  }
}

/**
 * better-sqlite3 12 under Node 24 can abort the process when the garbage collector finalizes a
 * Database outside a JS context (node::RemoveEnvironmentCleanupHook: env != nullptr). Its
 * objects are kept reachable until exit, where they are torn down with the environment.
 */
const keepAlive: unknown[] = [];

function load(prefix: string): BetterCtor {
  const req = createRequire(path.join(prefix, 'package.json'));
  const ctor = req('better-sqlite3') as BetterCtor;
  const probe = new ctor(':memory:'); // the addon loads lazily: fail here, not mid-bench, on an ABI mismatch
  probe.close();
  keepAlive.push(probe);
  return ctor;
}

function tryLoad(prefix: string): BetterCtor | null {
  try {
    return load(prefix);
  } catch {
    return null;
  }
}

function openBetter(ctor: BetterCtor, file: string): Driver {
  const db = new ctor(file);
  keepAlive.push(db);
  return { name: 'better-sqlite3', exec: (sql) => db.exec(sql), prepare: (sql) => db.prepare(sql), close: () => db.close() };
}

interface Figures {
  txInsertMs: number;
  autocommitMs: number;
  readsMs: number;
}

function time(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

function measure(open: (file: string) => Driver, tag: string): Figures {
  const file = path.join(workDir, `${tag}-${Date.now()}-${Math.random().toString(36).slice(2)}.sqlite`);
  const db = open(file);
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = NORMAL');
  db.exec('CREATE TABLE chat (id INTEGER PRIMARY KEY, room_id INTEGER NOT NULL, user_id INTEGER NOT NULL, text TEXT NOT NULL, at INTEGER NOT NULL)');
  const insert = db.prepare('INSERT INTO chat (id, room_id, user_id, text, at) VALUES (?, ?, ?, ?, ?)');
  const txInsertMs = time(() => {
    db.exec('BEGIN IMMEDIATE');
    for (let i = 1; i <= rows; i++) insert.run(i, i % 500, 1000 + (i % 5000), `message number ${i} in the room`, 1_700_000_000_000 + i);
    db.exec('COMMIT');
  });
  const autocommitMs = time(() => {
    for (let i = rows + 1; i <= rows + autocommitRows; i++) insert.run(i, i % 500, 1000 + (i % 5000), `autocommit ${i}`, 1_700_000_000_000 + i);
  });
  const select = db.prepare('SELECT id, room_id, user_id, text, at FROM chat WHERE id = ?');
  let seed = 12345;
  let found = 0;
  const readsMs = time(() => {
    for (let i = 0; i < reads; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff; // deterministic spread over the table
      if (select.get((seed % rows) + 1)) found++;
    }
  });
  if (found !== reads) throw new Error(`${db.name}: ${reads - found} point reads found nothing`);
  db.close();
  return { txInsertMs, autocommitMs, readsMs };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function medianFigures(runs: Figures[]): Figures {
  return {
    txInsertMs: median(runs.map((r) => r.txInsertMs)),
    autocommitMs: median(runs.map((r) => r.autocommitMs)),
    readsMs: median(runs.map((r) => r.readsMs)),
  };
}

function row(label: string, count: number, ms: number): string {
  return `${label.padEnd(34)} ${ms.toFixed(1).padStart(9)} ms ${Math.round((count / ms) * 1000)
    .toLocaleString('en-US')
    .padStart(12)} /s`;
}

try {
  console.log(`store bench: Node ${process.versions.node}, SQLite ${process.versions.sqlite ?? '?'}, ${os.cpus().length} CPU(s), data in ${workDir}`);
  const better = compare ? loadBetterSqlite() : { ctor: null, reason: 'disabled (--no-compare)' };
  const ctor = better.ctor;
  const mineRuns: Figures[] = [];
  const theirRuns: Figures[] = [];
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? ['node', 'better'] : ['better', 'node'];
    for (const which of order) {
      if (which === 'node') mineRuns.push(measure(openNodeSqlite, 'node-sqlite'));
      else if (ctor) theirRuns.push(measure((file) => openBetter(ctor, file), 'better-sqlite3'));
    }
  }
  const mine = medianFigures(mineRuns);
  console.log(`\nnode:sqlite (median of ${rounds} round${rounds === 1 ? '' : 's'})`);
  console.log(row(`  ${rows} inserts, one transaction`, rows, mine.txInsertMs));
  console.log(row(`  ${autocommitRows} autocommit inserts`, autocommitRows, mine.autocommitMs));
  console.log(row(`  ${reads} point reads`, reads, mine.readsMs));
  if (ctor) {
    const theirs = medianFigures(theirRuns);
    console.log(`\nbetter-sqlite3 (median of ${rounds} round${rounds === 1 ? '' : 's'})`);
    console.log(row(`  ${rows} inserts, one transaction`, rows, theirs.txInsertMs));
    console.log(row(`  ${autocommitRows} autocommit inserts`, autocommitRows, theirs.autocommitMs));
    console.log(row(`  ${reads} point reads`, reads, theirs.readsMs));
    console.log('\nnode:sqlite time ÷ better-sqlite3 time (below 1 = node:sqlite faster)');
    console.log(`  inserts in one transaction  ${(mine.txInsertMs / theirs.txInsertMs).toFixed(2)}×`);
    console.log(`  autocommit inserts          ${(mine.autocommitMs / theirs.autocommitMs).toFixed(2)}×`);
    console.log(`  point reads                 ${(mine.readsMs / theirs.readsMs).toFixed(2)}×`);
  } else {
    console.log(`\nbetter-sqlite3 not compared: ${better.reason}`);
  }
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
