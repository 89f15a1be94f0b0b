/**
 * The headless host (protocol.md §1): `npm run serve -- --config FILE [--data-dir DIR]
 * [--port N] [--demo]`. Runs everything the Electron main process runs, without a window, and
 * serves the console to a browser. Prints `listening http://HOST:PORT` once ready.
 */
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../config/loadConfig';
import { bootstrap } from '../core/bootstrap';

const rendererDir = fileURLToPath(new URL('../renderer/', import.meta.url));

async function main(): Promise<void> {
  let app;
  try {
    app = await bootstrap({ argv: process.argv.slice(2), rendererDir });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`anychat-console: invalid configuration: ${err.message}\n`);
      process.exit(2);
    }
    const inUse = addressInUse(err);
    if (inUse) {
      // One line with the fix, not a stack: the usual cause is another host already running.
      process.stderr.write(
        `anychat-console: ${inUse} is already in use (is another AnyChat host running?). Stop it, or start on another port: --port N (or "listen": {"port": N} in the config).\n`,
      );
      process.exit(1);
    }
    process.stderr.write(`anychat-console: failed to start: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  }
  process.stdout.write(`listening ${app.url}\n`);
  const shutdown = (signal: string) => {
    app.logger.info({ signal }, 'shutdown requested');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    app.stop().then(
      () => process.exit(0),
      (err) => {
        process.stderr.write(`anychat-console: unclean shutdown: ${err}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

/** "127.0.0.1:8600" when `err` (or its cause) is EADDRINUSE, else null. */
function addressInUse(err: unknown): string | null {
  for (let e = err as { code?: string; address?: string; port?: number; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === 'EADDRINUSE') return e.port !== undefined ? `${e.address ?? 'the address'}:${e.port}` : 'the listening address';
  }
  return null;
}

void main();
