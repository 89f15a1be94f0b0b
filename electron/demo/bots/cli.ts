/**
 * `npm run bots -- --url ws://HOST:PORT/ws --rooms N --publishers K --viewers M [--seconds S]`
 * Loads any host with real client bots (see loadTest.ts). Prints what it runs, a summary, and a
 * last line `summary {json}` for scripts. Exit code 0 when every viewer received every publisher.
 */
import { formatSummary, runLoadTest } from './loadTest';

function parse(argv: string[]): { url: string; rooms: number; publishers: number; viewers: number; seconds: number } {
  const o: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument "${a}"`);
    const [k, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
    const v = inline ?? argv[++i];
    if (v === undefined) throw new Error(`--${k}: expected a value`);
    o[k] = v;
  }
  const known = ['url', 'rooms', 'publishers', 'viewers', 'seconds'];
  for (const k of Object.keys(o)) if (!known.includes(k)) throw new Error(`unknown option --${k}`);
  if (!o.url || !/^wss?:\/\//.test(o.url)) throw new Error('--url ws://HOST:PORT/ws is required');
  const int = (k: string, def: number, max: number) => {
    const n = o[k] === undefined ? def : Number(o[k]);
    if (!Number.isInteger(n) || n < 0 || n > max) throw new Error(`--${k}: expected an integer 0–${max}`);
    return n;
  };
  return { url: o.url, rooms: int('rooms', 1, 100), publishers: int('publishers', 1, 50), viewers: int('viewers', 1, 200), seconds: int('seconds', 10, 3600) };
}

async function main(): Promise<void> {
  let opts;
  try {
    opts = parse(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(
      `bots: ${(err as Error).message}\nusage: npm run bots -- --url ws://HOST:PORT/ws --rooms N --publishers K --viewers M [--seconds S]\n`,
    );
    process.exit(2);
  }
  // Ctrl-C ends the run early; the bots still log out and the summary is printed.
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());
  const summary = await runLoadTest({ ...opts, signal: stop.signal, log: (l) => process.stdout.write(`${l}\n`) });
  process.stdout.write(`${formatSummary(summary)}\nsummary ${JSON.stringify(summary)}\n`);
  process.exit(summary.allViewersReceivedAll ? 0 : 1);
}

void main();
