import { useMemo } from 'react';
import { EmptyHint } from './EmptyHint';
import { useShallow } from 'zustand/react/shallow';
import { componentNames } from '../../../shared/status';
import { formatBitrate } from '../../components/format';
import { TimeChart } from '../../components/TimeChart';
import { TitledTable } from '../../components/TitledTable';
import { useT } from '../../i18n/useT';
import { useConsoleStore } from '../../state/store';
import { DemoBanner } from './DemoBanner';
import { NodesPanel } from './NodesPanel';

/** Component status (server messages 10–14), live counters and 15-minute charts from `stats:tick`. */
export function DashboardScreen() {
  return (
    <section className="stack">
      <DemoBanner />
      <EmptyHint />
      <Counters />
      <Charts />
      <NodesPanel />
      <ComponentTable />
    </section>
  );
}

function Counters() {
  const t = useT();
  const c = useConsoleStore(
    useShallow((s) => ({
      usersOnline: s.usersOnline,
      roomCount: s.roomCount,
      activeCalls: s.activeCalls,
      recordingsToday: s.recordingsToday,
      bitrate: s.totalBitrate,
    })),
  );
  const cards: [string, string, string][] = [
    ['users-online', t('dashboard.usersOnline'), String(c.usersOnline)],
    ['rooms', t('dashboard.rooms'), String(c.roomCount)],
    ['active-calls', t('dashboard.activeCalls'), String(c.activeCalls)],
    ['recordings-today', t('dashboard.recordingsToday'), String(c.recordingsToday)],
    ['bitrate', t('dashboard.bitrate'), formatBitrate(c.bitrate)],
  ];
  return (
    <div className="cards">
      {cards.map(([id, label, value]) => (
        <div key={id} className="card" data-testid={`counter-${id}`}>
          <div className="muted">{label}</div>
          <div className="card-value" data-testid={`counter-${id}-value`}>
            {value}
          </div>
        </div>
      ))}
    </div>
  );
}

function Charts() {
  const t = useT();
  const history = useConsoleStore((s) => s.history);
  const times = useMemo(() => history.map((p) => p.at), [history]);
  const users = useMemo(() => history.map((p) => p.usersOnline), [history]);
  const bitrate = useMemo(() => history.map((p) => p.bitrate), [history]);
  const last = history.at(-1);
  return (
    <div className="charts">
      <figure className="card chart">
        <figcaption>
          {t('dashboard.chartUsers')} <strong>{last ? last.usersOnline : ''}</strong>
        </figcaption>
        {history.length ? (
          <TimeChart
            times={times}
            values={users}
            label={t('dashboard.chartUsers')}
            format={(v) => (Number.isInteger(v) ? String(v) : '')}
            testId="chart-users"
          />
        ) : (
          <p className="muted">{t('dashboard.noData')}</p>
        )}
      </figure>
      <figure className="card chart">
        <figcaption>
          {t('dashboard.chartBitrate')} <strong>{last ? formatBitrate(last.bitrate) : ''}</strong>
        </figcaption>
        {history.length ? (
          <TimeChart
            times={times}
            values={bitrate}
            label={t('dashboard.chartBitrate')}
            format={(v) => (v > 0 && v < 1 ? '' : formatBitrate(v))}
            testId="chart-bitrate"
          />
        ) : (
          <p className="muted">{t('dashboard.noData')}</p>
        )}
      </figure>
    </div>
  );
}

function ComponentTable() {
  const t = useT();
  const components = useConsoleStore((s) => s.components);
  return (
    <TitledTable
      title={t('dashboard.components')}
      heading="h2"
      headers={[t('status.title'), t('dashboard.serverMessage'), t('dashboard.state'), t('dashboard.detail')]}
    >
      {componentNames.map((name) => {
        const s = components[name];
        return (
          <tr key={name} data-testid={`dashboard-status-${name}`}>
            <td>{t(`status.${name}`)}</td>
            <td>{s?.serverMessage ?? '—'}</td>
            <td className={`state-${s?.state ?? 'stopped'}`}>{t(`state.${s?.state ?? 'stopped'}`)}</td>
            <td>{s?.detail ?? ''}</td>
          </tr>
        );
      })}
    </TitledTable>
  );
}
