/**
 * The log file as a pino destination that can never take the host down: rotated by size with a
 * retention (rotating-file-stream: a maintained library that rotates, renames and prunes
 * without a worker thread, unlike pino-roll's transport), created mode 0600, and tolerant of a
 * full disk. When a write fails (ENOSPC, EIO, …) lines are dropped instead of buffered, the
 * failure is said once on stderr, and the file is reopened after a pause; the exit-time flush
 * waits a bounded time, never retries forever.
 */
import { writeSync } from 'node:fs';
import path from 'node:path';
import { createStream, type RotatingFileStream } from 'rotating-file-stream';

export interface TolerantFileOptions {
  file: string;
  maxSizeMb: number;
  maxFiles: number;
  /** How long after a failure the file is reopened. */
  retryMs?: number;
  /** Most bytes queued for the disk; past it lines are dropped (a stalled disk must not grow memory). */
  maxQueuedBytes?: number;
  /** Where the one-line failure notice goes (stderr by default). */
  notice?: (line: string) => void;
}

export class TolerantFileStream {
  private stream: RotatingFileStream | null = null;
  private failed: { code: string; at: number } | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private closed = false;
  /** Lines dropped since the last failure notice. */
  dropped = 0;
  totalDropped = 0;
  private readonly notice: (line: string) => void;

  constructor(private readonly opts: TolerantFileOptions) {
    this.notice =
      opts.notice ??
      ((line) => {
        try {
          writeSync(2, line + '\n');
        } catch {
          /* stderr gone too: nothing left to tell */
        }
      });
    this.open();
  }

  private open(): void {
    const { file, maxSizeMb, maxFiles } = this.opts;
    const s = createStream(path.basename(file), {
      path: path.dirname(file),
      size: `${Math.max(1, Math.round(maxSizeMb * 1024))}K`,
      maxFiles,
      mode: 0o600,
      // Rotated names: anychat-console.log.1, .2, … (newest first by index).
      history: `${path.basename(file)}.history`,
    });
    s.on('error', (err: NodeJS.ErrnoException) => this.fail(err, s));
    s.on('warning', () => undefined);
    this.stream = s;
  }

  private fail(err: NodeJS.ErrnoException, s: RotatingFileStream): void {
    if (this.stream !== s) return;
    this.stream = null;
    s.destroy();
    if (!this.failed) {
      this.failed = { code: err.code ?? err.message, at: Date.now() };
      this.notice(`anychat-console: log file ${this.opts.file} cannot be written (${this.failed.code}); dropping log lines until it can`);
    }
    if (!this.closed && !this.retryTimer) {
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        if (!this.closed) this.open();
      }, this.opts.retryMs ?? 30_000);
      this.retryTimer.unref();
    }
  }

  /** pino's destination interface: one serialized record per call. */
  write(line: string): boolean {
    const s = this.stream;
    if (!s || this.closed || s.writableLength > (this.opts.maxQueuedBytes ?? 8 * 1024 * 1024)) {
      this.dropped++;
      this.totalDropped++;
      return true;
    }
    if (this.failed) {
      // A reopened stream took a line: say how many were lost, once.
      const lost = this.dropped;
      this.failed = null;
      this.dropped = 0;
      s.write(`${JSON.stringify({ level: 40, time: new Date().toISOString(), msg: `log file writable again; ${lost} line(s) were dropped` })}\n`);
    }
    s.write(line);
    return true;
  }

  /** Ends the file, waiting at most `timeoutMs` for the disk; never throws. */
  close(timeoutMs = 2000): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const s = this.stream;
    this.stream = null;
    if (!s) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        s.destroy();
        resolve();
      }, timeoutMs);
      timer.unref();
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      s.once('finish', done);
      s.once('close', done);
      s.once('error', done);
      s.end();
    });
  }
}
