/**
 * The operator alerts' sources on a running core: the media node's `workerdied` and
 * `recordingerror`, the gateway outbox's `changed` and dead count, and the free space of the
 * data dir's filesystem (the core has no disk event; statfs is polled by OperatorAlerts).
 */
import { statfs } from 'node:fs/promises';
import type { Core } from '../core/Core';
import type { AlertSources } from './operatorAlerts';

export function coreAlertSources(core: Core, dataDir: string): AlertSources {
  const { media, gateway } = core.components;
  return {
    onWorkerDied: (l) => {
      media.on('workerdied', l);
      return () => media.off('workerdied', l);
    },
    onRecordingFailed: (l) => {
      media.on('recordingerror', l);
      return () => media.off('recordingerror', l);
    },
    onOutboxChanged: (l) => gateway.outbox.on('changed', () => l()),
    deadNotices: () => gateway.outbox.depth().reduce((n, d) => n + d.dead, 0),
    diskSpace: async () => {
      const s = await statfs(dataDir);
      return { free: s.bavail * s.bsize, total: s.blocks * s.bsize };
    },
  };
}
