/**
 * What uploads may take (issue 13: an anonymous guest could fill the disk and memory): a cap on
 * unfinished uploads held at once (memory and partial files), per-user and global quotas on
 * received files, a retention after which received files are deleted, and a minimum of free disk
 * space that uploads to disk respect. Received files are named `<ms>-u<userId>-<task>-<name>`, so
 * the accounting is rebuilt from the directory at start and on every sweep (self-correcting when
 * business code or the gateway deletes files).
 */
import { mkdirSync, readdirSync, rmSync, statfsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { CodedError, Codes, SignalingCodes } from '../../shared/codes';
import type { SdkSettings } from './SdkOptions';

export interface UploadLimits {
  inFlightBytes: number;
  quotaBytesPerUser: number;
  quotaBytesTotal: number;
  retentionMs: number;
  minFreeDiskBytes: number;
}

export const defaultUploadLimits: UploadLimits = {
  inFlightBytes: 64 * 1024 * 1024,
  quotaBytesPerUser: 256 * 1024 * 1024,
  quotaBytesTotal: 4 * 1024 * 1024 * 1024,
  retentionMs: 7 * 86_400_000,
  minFreeDiskBytes: 256 * 1024 * 1024,
};

/** The settings that override the defaults (SdkSettings has them, all optional). */
type UploadSettings = Pick<
  SdkSettings,
  'uploadInFlightBytes' | 'uploadQuotaBytesPerUser' | 'uploadQuotaBytesTotal' | 'receivedFileRetentionHours' | 'minFreeDiskBytes'
>;

/** The upload budget's limits: the settings given, the defaults for the rest. */
export function uploadLimitsOf(settings: UploadSettings): UploadLimits {
  return {
    inFlightBytes: settings.uploadInFlightBytes ?? defaultUploadLimits.inFlightBytes,
    quotaBytesPerUser: settings.uploadQuotaBytesPerUser ?? defaultUploadLimits.quotaBytesPerUser,
    quotaBytesTotal: settings.uploadQuotaBytesTotal ?? defaultUploadLimits.quotaBytesTotal,
    retentionMs: settings.receivedFileRetentionHours !== undefined ? settings.receivedFileRetentionHours * 3_600_000 : defaultUploadLimits.retentionMs,
    minFreeDiskBytes: settings.minFreeDiskBytes ?? defaultUploadLimits.minFreeDiskBytes,
  };
}

const SWEEP_MS = 10 * 60_000;

export function receivedFileName(userId: number, taskId: number, fileName: string, now = Date.now()): string {
  return `${now}-u${userId}-${taskId}-${fileName}`;
}

export class UploadBudget {
  private inFlight = 0;
  private readonly inFlightByUser = new Map<number, number>();
  private stored = new Map<number, number>();
  private storedTotal = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly dir: string,
    private readonly limits: UploadLimits,
    private readonly logger: Logger,
  ) {
    this.sweep();
    this.timer = setInterval(() => this.sweep(), SWEEP_MS);
    this.timer.unref();
  }

  /** Reserves `size` bytes for a new upload, or throws the coded reason it cannot start. */
  reserve(userId: number, size: number, toDisk: boolean, stored: boolean): void {
    if (this.inFlight + size > this.limits.inFlightBytes)
      throw new CodedError(Codes.TOO_MANY_REQUESTS, 'the server holds too many unfinished uploads; try again later');
    if (stored) {
      const mine = (this.stored.get(userId) ?? 0) + (this.inFlightByUser.get(userId) ?? 0);
      if (mine + size > this.limits.quotaBytesPerUser)
        throw new CodedError(SignalingCodes.UPLOAD_QUOTA_EXCEEDED, `upload quota of ${this.limits.quotaBytesPerUser} bytes per user reached`);
      if (this.storedTotal + this.inFlight + size > this.limits.quotaBytesTotal)
        throw new CodedError(SignalingCodes.UPLOAD_QUOTA_EXCEEDED, "the server's upload quota is reached");
    }
    if (toDisk && this.freeBytes() - size < this.limits.minFreeDiskBytes)
      throw new CodedError(SignalingCodes.STORAGE_FULL, "the server's disk is full; try again later");
    this.inFlight += size;
    this.inFlightByUser.set(userId, (this.inFlightByUser.get(userId) ?? 0) + size);
  }

  /** The upload ended (done or dropped); `storedBytes` > 0 when it became a received file. */
  release(userId: number, size: number, storedBytes = 0): void {
    this.inFlight = Math.max(0, this.inFlight - size);
    const left = (this.inFlightByUser.get(userId) ?? 0) - size;
    if (left > 0) this.inFlightByUser.set(userId, left);
    else this.inFlightByUser.delete(userId);
    if (storedBytes > 0) {
      this.stored.set(userId, (this.stored.get(userId) ?? 0) + storedBytes);
      this.storedTotal += storedBytes;
    }
  }

  /** Free bytes for unprivileged writers on the directory's filesystem (Infinity when unknown). */
  freeBytes(): number {
    try {
      const s = statfsSync(this.dir);
      return Number(s.bavail) * Number(s.bsize);
    } catch {
      return Number.POSITIVE_INFINITY;
    }
  }

  get inFlightBytes(): number {
    return this.inFlight;
  }

  get storedBytes(): number {
    return this.storedTotal;
  }

  /** Deletes received files past the retention and recounts what is kept. */
  sweep(now = Date.now()): void {
    const stored = new Map<number, number>();
    let total = 0;
    let removed = 0;
    try {
      mkdirSync(this.dir, { recursive: true });
      for (const name of readdirSync(this.dir)) {
        const m = /^(\d+)-u(-?\d+)-/.exec(name);
        const file = path.join(this.dir, name);
        let size: number;
        let mtime: number;
        try {
          const st = statSync(file);
          if (!st.isFile()) continue;
          size = st.size;
          mtime = st.mtimeMs;
        } catch {
          continue;
        }
        if (now - mtime > this.limits.retentionMs) {
          rmSync(file, { force: true });
          removed++;
          continue;
        }
        const userId = m ? Number(m[2]) : 0;
        stored.set(userId, (stored.get(userId) ?? 0) + size);
        total += size;
      }
    } catch (err) {
      this.logger.warn({ err, dir: this.dir }, 'received files: sweep failed');
      return;
    }
    this.stored = stored;
    this.storedTotal = total;
    if (removed > 0) this.logger.info({ removed, dir: this.dir }, 'received files past their retention deleted');
  }

  close(): void {
    clearInterval(this.timer);
  }
}
