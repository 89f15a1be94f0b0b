/** Structured logging (pino): one JSON line per record, to the data dir's log file and to stdout. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import pino, { type Logger, type DestinationStream } from 'pino';

export type { Logger };

export interface AppLogger {
  logger: Logger;
  /** Flushes buffered records to disk (call on shutdown). */
  flush(): void;
}

export function createLogger(opts: { dataDir: string | null; level: string; stdout?: boolean }): AppLogger {
  const streams: { stream: DestinationStream; level?: pino.Level }[] = [];
  let file: ReturnType<typeof pino.destination> | null = null;
  if (opts.dataDir) {
    const dir = path.join(opts.dataDir, 'logs');
    mkdirSync(dir, { recursive: true });
    file = pino.destination({ dest: path.join(dir, 'anychat-console.log'), mkdir: true, sync: false });
    streams.push({ stream: file });
  }
  if (opts.stdout !== false) streams.push({ stream: pino.destination({ dest: 1, sync: true }) });
  const level = opts.level as pino.LevelWithSilent;
  const logger = pino(
    { level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime },
    streams.length ? pino.multistream(streams.map((s) => ({ ...s, level: level === 'silent' ? 'fatal' : (level as pino.Level) }))) : undefined,
  );
  return {
    logger,
    flush() {
      try {
        file?.flushSync();
      } catch {
        /* the stream may not be ready yet; nothing buffered then */
      }
    },
  };
}
