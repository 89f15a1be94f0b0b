/**
 * Quality over time with uPlot: bitrate (up + down), loss, RTT and jitter, one point a second,
 * of one user or summed over a room's users. Reads `quality:series` every second (the points
 * are in the store; the chart shows the last 5 minutes).
 */
import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { QualityPoint } from '../../../shared/ipc/observability';
import { useT } from '../../i18n/useT';
import { useConsoleStore } from '../../state/store';
import './history.css';

const WINDOW_MS = 5 * 60_000;

/** One row per second: bitrate kbit/s (max over users for a room), loss %, RTT, jitter. */
function toSeries(points: readonly QualityPoint[]): uPlot.AlignedData {
  const bySecond = new Map<number, { kbps: number; loss: number; rtt: number | null; jitter: number | null }>();
  for (const p of points) {
    const s = Math.floor(p.at / 1000);
    const row = bySecond.get(s) ?? { kbps: 0, loss: 0, rtt: null, jitter: null };
    row.kbps += (p.bitrateUp + p.bitrateDown) / 1000;
    row.loss = Math.max(row.loss, p.loss * 100);
    if (p.rttMs !== null) row.rtt = Math.max(row.rtt ?? 0, p.rttMs);
    if (p.jitterMs !== null) row.jitter = Math.max(row.jitter ?? 0, p.jitterMs);
    bySecond.set(s, row);
  }
  const xs = [...bySecond.keys()].sort((a, b) => a - b);
  return [
    xs,
    xs.map((x) => Math.round(bySecond.get(x)!.kbps * 10) / 10),
    xs.map((x) => Math.round(bySecond.get(x)!.loss * 10) / 10),
    xs.map((x) => bySecond.get(x)!.rtt),
    xs.map((x) => bySecond.get(x)!.jitter),
  ];
}

export function QualityChart({ userId, roomId }: { userId?: number; roomId?: number }) {
  const t = useT();
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const [last, setLast] = useState<{ points: number; kbps: number; loss: number } | null>(null);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const read = async () => {
      const client = useConsoleStore.getState().client;
      if (!client || stopped) return;
      const r = await client.call('quality:series', { ...(userId ? { userId } : { roomId }), since: Date.now() - WINDOW_MS });
      if (stopped) return;
      if (r.ok) {
        const data = toSeries(r.value);
        const n = data[0].length;
        if (n && host.current) {
          if (!plot.current) {
            plot.current = new uPlot(
              {
                width: Math.max(320, host.current.clientWidth || 560),
                height: 200,
                scales: { x: { time: true }, kbps: { auto: true }, pct: { auto: true, range: (_u, _min, max) => [0, Math.max(5, max)] } },
                series: [
                  {},
                  { label: t('quality.bitrate'), scale: 'kbps', stroke: '#3b82f6', width: 2 },
                  { label: t('quality.loss'), scale: 'pct', stroke: '#ef4444', width: 1.5 },
                  { label: t('quality.rtt'), scale: 'pct', stroke: '#a855f7', width: 1 },
                  { label: t('quality.jitter'), scale: 'pct', stroke: '#f59e0b', width: 1 },
                ],
                axes: [{}, { scale: 'kbps', label: 'kbit/s' }, { scale: 'pct', side: 1, grid: { show: false } }],
              },
              data,
              host.current,
            );
          } else {
            plot.current.setData(data);
          }
        }
        setLast(n ? { points: n, kbps: data[1][n - 1] as number, loss: data[2][n - 1] as number } : { points: 0, kbps: 0, loss: 0 });
      }
      timer = setTimeout(() => void read(), 1000);
    };
    void read();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      plot.current?.destroy();
      plot.current = null;
    };
  }, [userId, roomId, t]);

  const id = userId ? `user-${userId}` : `room-${roomId}`;
  return (
    <section
      className="card quality-chart"
      data-testid={`quality-chart-${id}`}
      data-points={last?.points ?? 0}
      data-kbps={last?.kbps ?? 0}
      data-loss={last?.loss ?? 0}
    >
      <h4>{t('quality.title')}</h4>
      {last && last.points === 0 && <p className="muted">{t('quality.empty')}</p>}
      <div ref={host} className="quality-plot" />
    </section>
  );
}
