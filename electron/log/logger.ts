/**
 * Structured logging (pino): one JSON line per record, to the data dir's log file (rotated by
 * size, mode 0600, tolerant of a full disk: see tolerantFileStream.ts) and to stdout.
 */
import { mkdirSync, writeSync } from 'node:fs';
import path from 'node:path';
import pino, { type Logger, type DestinationStream } from 'pino';
import { TolerantFileStream } from './tolerantFileStream';

export type { Logger };

export interface AppLogger {
  logger: Logger;
  /** Ends the log file, waiting a bounded time for the disk (call on shutdown). Never rejects. */
  flush(): Promise<void>;
  /** The log file stream (null without a data dir). */
  file: TolerantFileStream | null;
}

/** stdout written synchronously; a failing stdout (full disk behind a redirect, closed pipe) drops the line. */
const stdoutDestination: DestinationStream = {
  write(line: string) {
    try {
      writeSync(1, line);
    } catch {
      /* dropped: logging must never take the host down */
    }
  },
};

export const LOG_FILE_NAME = 'anychat-console.log';

export function createLogger(opts: { dataDir: string | null; level: string; stdout?: boolean; maxSizeMb?: number; maxFiles?: number }): AppLogger {
  const streams: { stream: DestinationStream; level?: pino.Level }[] = [];
  let file: TolerantFileStream | null = null;
  if (opts.dataDir) {
    const dir = path.join(opts.dataDir, 'logs');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    file = new TolerantFileStream({ file: path.join(dir, LOG_FILE_NAME), maxSizeMb: opts.maxSizeMb ?? 20, maxFiles: opts.maxFiles ?? 10 });
    streams.push({ stream: file });
  }
  if (opts.stdout !== false) streams.push({ stream: stdoutDestination });
  const level = opts.level as pino.LevelWithSilent;
  const logger = pino(
    { level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime },
    streams.length ? pino.multistream(streams.map((s) => ({ ...s, level: level === 'silent' ? 'fatal' : (level as pino.Level) }))) : undefined,
  );
  return {
    logger,
    file,
    flush: () => file?.close() ?? Promise.resolve(),
  };
}
