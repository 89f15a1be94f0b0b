/**
 * Alert rules and the alert list. Defaults: a user's packet loss over 10 % for 30 s, a media
 * worker restart, a failed recording, webhook notices gone dead, free disk space low. Alerts are stored (the bell
 * list survives a restart) and emitted as `raised`: the console's bell and the Electron shell's
 * desktop notification both follow that one event.
 */
import { statfs } from 'node:fs/promises';
import type { AlertRecord, AlertSeverity } from '../../shared/ipc/observability';
import { TypedEmitter } from '../util/TypedEmitter';
import type { Db } from '../store/Database';
import type { MediaSample } from './MediaWatcher';

export interface AlertSettings {
  lossThreshold: number;
  lossSeconds: number;
  diskLowMb: number;
  keep: number;
}

type Row = { id: number; at: number; rule: AlertRecord['rule']; severity: AlertSeverity; title: string; detail: string; subject: string; acknowledged: number };
const toRecord = (r: Row): AlertRecord => ({ ...r, id: Number(r.id), at: Number(r.at), acknowledged: Boolean(r.acknowledged) });

export class AlertBook extends TypedEmitter<{ raised: AlertRecord }> {
  /** Per user: since when the loss has been over the threshold, and whether that episode alerted. */
  private readonly lossy = new Map<number, { since: number; alerted: boolean }>();
  private diskLow = false;
  private deadSeen: Map<string, number> | null = null;

  constructor(
    private readonly db: Db,
    private readonly settings: AlertSettings,
  ) {
    super();
  }

  private unsaved = 0;

  raise(rule: AlertRecord['rule'], severity: AlertSeverity, title: string, detail: string, subject: string): AlertRecord {
    const at = Date.now();
    let id: number;
    try {
      id = Number(
        this.db
          .prepare('INSERT INTO alerts (at, rule, severity, title, detail, subject) VALUES (?, ?, ?, ?, ?, ?)')
          .run(at, rule, severity, title, detail, subject).lastInsertRowid,
      );
      this.db.prepare('DELETE FROM alerts WHERE id <= ?').run(id - this.settings.keep);
    } catch {
      // The store refuses writes (a full disk is exactly when alerts matter): still raise it, unsaved.
      id = Number.MAX_SAFE_INTEGER - ++this.unsaved;
    }
    const alert: AlertRecord = { id, at, rule, severity, title, detail, subject, acknowledged: false };
    this.emit('raised', alert);
    return alert;
  }

  list(limit = 100): AlertRecord[] {
    return (this.db.prepare('SELECT * FROM alerts ORDER BY id DESC LIMIT ?').all(limit) as Row[]).map(toRecord);
  }

  /** Acknowledges one alert, or every one without an id. Returns how many changed. */
  acknowledge(id?: number): number {
    const r =
      id === undefined
        ? this.db.prepare('UPDATE alerts SET acknowledged = 1 WHERE acknowledged = 0').run()
        : this.db.prepare('UPDATE alerts SET acknowledged = 1 WHERE id = ? AND acknowledged = 0').run(id);
    return Number(r.changes);
  }

  /** Rule: a user's loss over the threshold for `lossSeconds` (once per episode). */
  onSample(s: MediaSample): void {
    const present = new Set<number>();
    for (const p of s.points) {
      present.add(p.userId);
      if (p.loss <= this.settings.lossThreshold) {
        this.lossy.delete(p.userId);
        continue;
      }
      const e = this.lossy.get(p.userId) ?? { since: s.at, alerted: false };
      this.lossy.set(p.userId, e);
      if (!e.alerted && s.at - e.since >= this.settings.lossSeconds * 1000) {
        e.alerted = true;
        const pct = Math.round(p.loss * 1000) / 10;
        this.raise(
          'user-loss',
          'warning',
          `User ${p.userId}: ${pct} % packet loss`,
          `loss over ${Math.round(this.settings.lossThreshold * 100)} % for ${this.settings.lossSeconds} s (room ${p.roomId})`,
          `user ${p.userId}`,
        );
      }
    }
    for (const id of this.lossy.keys()) if (!present.has(id)) this.lossy.delete(id);
  }

  /** Rule: a media worker restarted after dying. */
  onWorkerRestarted(workerId: number, reason: string): void {
    this.raise('worker-restart', 'critical', `Media worker ${workerId} restarted`, reason, `worker ${workerId}`);
  }

  /** Rule: a recording ended with an error (disk full, no media, ffmpeg failed …). */
  onRecordingFailed(recordingId: string, reason: string): void {
    this.raise('recording-failed', 'warning', 'Recording failed', `${recordingId}: ${reason}`, `recording ${recordingId}`);
  }

  /** Rule: webhook notices went dead (attempts exhausted) — alerts when an app's dead count grows. */
  onOutboxDepth(depth: { appId: string; dead: number }[]): void {
    const first = this.deadSeen === null;
    this.deadSeen ??= new Map();
    for (const d of depth) {
      const before = this.deadSeen.get(d.appId) ?? 0;
      this.deadSeen.set(d.appId, d.dead);
      if (!first && d.dead > before) {
        this.raise(
          'webhook-dead',
          'warning',
          `Webhook notices dead for app ${d.appId}`,
          `${d.dead} dead notice(s); resend them from the Gateway screen once the receiver is back`,
          `app ${d.appId}`,
        );
      }
    }
  }

  /** Rule: free space under `diskLowMb` on the data dir's file system (alerts once until it recovers). */
  async checkDisk(dir: string): Promise<number | null> {
    try {
      const s = await statfs(dir);
      const freeMb = (Number(s.bavail) * Number(s.bsize)) / (1024 * 1024);
      const low = freeMb < this.settings.diskLowMb;
      if (low && !this.diskLow)
        this.raise('disk-low', 'critical', 'Disk space low', `${Math.round(freeMb)} MiB free in ${dir} (alert below ${this.settings.diskLowMb} MiB)`, dir);
      this.diskLow = low;
      return freeMb;
    } catch {
      return null;
    }
  }
}
