/** Usage over days (uPlot): peak concurrent users and user-minutes per day. */
import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { UsageDay } from '../../../shared/ipc/observability';
import { useT } from '../../i18n/useT';
import { useConsoleStore } from '../../state/store';

const DAYS = 14;

export function UsageChart() {
  const t = useT();
  const host = useRef<HTMLDivElement>(null);
  const [days, setDays] = useState<UsageDay[] | null>(null);
  useEffect(() => {
    void useConsoleStore
      .getState()
      .client?.call('history:usage', { days: DAYS })
      .then((r) => r.ok && setDays(r.value));
  }, []);
  useEffect(() => {
    if (!days || !host.current) return;
    const plot = new uPlot(
      {
        width: Math.max(320, host.current.clientWidth || 640),
        height: 240,
        scales: { x: { time: true }, users: { auto: true }, minutes: { auto: true } },
        series: [
          {},
          { label: t('history.peakUsers'), scale: 'users', stroke: '#3b82f6', width: 2, points: { show: true } },
          { label: t('history.userMinutes'), scale: 'minutes', stroke: '#10b981', width: 2, points: { show: true } },
        ],
        axes: [{}, { scale: 'users' }, { scale: 'minutes', side: 1, grid: { show: false } }],
      },
      [days.map((d) => d.day / 1000), days.map((d) => d.peakUsers), days.map((d) => d.userMinutes)],
      host.current,
    );
    return () => plot.destroy();
  }, [days, t]);
  return (
    <section className="card" data-testid="usage-chart" data-days={days?.length ?? 0}>
      <h4>{t('history.usageTitle', { days: DAYS })}</h4>
      <div ref={host} />
    </section>
  );
}
