/**
 * History: ended (and still open) sessions, rooms and calls, searched by user, room and time
 * range, exported as CSV; usage over days. Reads on demand (Search), not live.
 */
import { useState } from 'react';
import type { CallRecord, HistoryKind, HistoryQuery, RoomRecord, SessionRecord } from '../../../shared/ipc/observability';
import { formatDuration, formatTime, fromLocalInput } from '../../components/format';
import { TitledTable } from '../../components/TitledTable';
import { useT } from '../../i18n/useT';
import { useConsoleStore } from '../../state/store';
import { RoomTimeline } from './RoomTimeline';
import { UsageChart } from './UsageChart';
import './history.css';

type Tab = HistoryKind | 'usage';
type Rows = { kind: 'sessions'; rows: SessionRecord[] } | { kind: 'rooms'; rows: RoomRecord[] } | { kind: 'calls'; rows: CallRecord[] };

export function HistoryScreen() {
  const t = useT();
  const [tab, setTab] = useState<Tab>('sessions');
  const [user, setUser] = useState('');
  const [room, setRoom] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [result, setResult] = useState<(Rows & { total: number }) | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const query = (): HistoryQuery => {
    const q: HistoryQuery = {};
    const u = user.trim();
    if (/^\d+$/.test(u)) q.userId = Number(u);
    else if (u) q.userName = u;
    if (/^\d+$/.test(room.trim())) q.roomId = Number(room.trim());
    const f = fromLocalInput(from);
    const e = fromLocalInput(to);
    if (f !== undefined) q.from = f;
    if (e !== undefined) q.to = e;
    return q;
  };

  const search = async (kind: HistoryKind = tab as HistoryKind) => {
    const client = useConsoleStore.getState().client;
    if (!client) return;
    setBusy(true);
    setError(null);
    const q = { ...query(), limit: 500 };
    const r =
      kind === 'sessions'
        ? await client.call('history:sessions', q)
        : kind === 'rooms'
          ? await client.call('history:rooms', q)
          : await client.call('history:calls', q);
    setBusy(false);
    if (!r.ok) return setError(t('common.error', { code: r.error.code, message: r.error.message }));
    setResult({ kind, rows: r.value.rows, total: r.value.total } as Rows & { total: number });
  };

  const exportCsv = async () => {
    const client = useConsoleStore.getState().client;
    if (!client || tab === 'usage') return;
    const r = await client.call('history:export', { ...query(), kind: tab });
    if (!r.ok) return setError(t('common.error', { code: r.error.code, message: r.error.message }));
    const url = URL.createObjectURL(new Blob([r.value.csv], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = r.value.fileName;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  return (
    <section className="stack" data-testid="history">
      <div className="history-tabs" role="tablist">
        {(['sessions', 'rooms', 'calls', 'usage'] as const).map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            aria-selected={tab === k}
            className={tab === k ? 'active' : ''}
            data-testid={`history-tab-${k}`}
            onClick={() => {
              setTab(k);
              setResult(null);
            }}
          >
            {t(`history.${k}`)}
          </button>
        ))}
      </div>
      {tab === 'usage' ? (
        <UsageChart />
      ) : (
        <>
          <form
            className="history-filters"
            onSubmit={(e) => {
              e.preventDefault();
              void search();
            }}
          >
            <label>
              {t('history.user')}
              <input value={user} onChange={(e) => setUser(e.target.value)} data-testid="history-user" />
            </label>
            {tab !== 'calls' && (
              <label>
                {t('history.room')}
                <input value={room} inputMode="numeric" onChange={(e) => setRoom(e.target.value)} data-testid="history-room" />
              </label>
            )}
            <label>
              {t('history.from')}
              <input type="datetime-local" step={1} value={from} onChange={(e) => setFrom(e.target.value)} data-testid="history-from" />
            </label>
            <label>
              {t('history.to')}
              <input type="datetime-local" step={1} value={to} onChange={(e) => setTo(e.target.value)} data-testid="history-to" />
            </label>
            <button type="submit" disabled={busy} data-testid="history-search">
              {t('history.search')}
            </button>
            <button type="button" onClick={() => void exportCsv()} data-testid="history-export">
              {t('history.export')}
            </button>
          </form>
          {error && (
            <p role="alert" className="error">
              {error}
            </p>
          )}
          {result && (
            <p className="muted" data-testid="history-total">
              {t('history.total', { count: result.total })}
            </p>
          )}
          {result && result.rows.length === 0 && <p className="muted">{t('history.empty')}</p>}
          {result && result.rows.length > 0 && <ResultTable result={result} />}
        </>
      )}
    </section>
  );
}

function ResultTable({ result }: { result: Rows }) {
  const t = useT();
  // A room row opens that room's timeline below the table (ended rooms keep theirs).
  const [timelineOf, setTimelineOf] = useState<number | null>(null);
  const language = useConsoleStore((s) => s.language);
  const time = (ms: number | null, open: string) => (ms === null ? open : formatTime(ms, language));
  const dur = (ms: number) => formatDuration(Math.round(ms / 1000));
  if (result.kind === 'sessions') {
    return (
      <TitledTable
        testId="history-results"
        headers={[
          t('users.userName'),
          t('history.login'),
          t('history.logout'),
          t('history.duration'),
          t('history.reason'),
          t('history.address'),
          t('history.client'),
        ]}
      >
        {result.rows.map((r) => (
          <tr key={`${r.id}-${r.userId}-${r.loginAt}`} data-testid="history-row" data-user={r.userId}>
            <td>
              {r.nickName || r.userName} <span className="muted">({r.userId})</span>
            </td>
            <td>{time(r.loginAt, '')}</td>
            <td>{time(r.logoutAt, t('history.online'))}</td>
            <td>{dur(r.durationMs)}</td>
            <td>{r.reason ?? ''}</td>
            <td>{r.address}</td>
            <td>{r.client}</td>
          </tr>
        ))}
      </TitledTable>
    );
  }
  if (result.kind === 'rooms') {
    return (
      <>
        <TitledTable
          testId="history-results"
          headers={[t('history.room'), t('history.started'), t('history.ended'), t('history.duration'), t('history.peak'), t('history.members')]}
        >
          {result.rows.map((r) => (
            <tr
              key={`${r.id}-${r.roomId}-${r.startedAt}`}
              data-testid="history-row"
              data-room={r.roomId}
              className="clickable"
              aria-selected={timelineOf === r.roomId}
              onClick={() => setTimelineOf((v) => (v === r.roomId ? null : r.roomId))}
            >
              <td>
                {r.name} <span className="muted">({r.roomId})</span>
              </td>
              <td>{time(r.startedAt, '')}</td>
              <td>{time(r.endedAt, t('history.open'))}</td>
              <td>{dur(r.durationMs)}</td>
              <td>{r.peakUsers}</td>
              <td>{r.members.join(', ')}</td>
            </tr>
          ))}
        </TitledTable>
        {timelineOf !== null && <RoomTimeline roomId={timelineOf} />}
      </>
    );
  }
  return (
    <TitledTable
      testId="history-results"
      headers={[
        t('history.caller'),
        t('history.callee'),
        t('history.requested'),
        t('history.ringing'),
        t('history.talking'),
        t('history.outcome'),
        t('history.endedBy'),
      ]}
    >
      {result.rows.map((r) => (
        <tr key={r.id} data-testid="history-row">
          <td>{r.callerId}</td>
          <td>{r.calleeId}</td>
          <td>{time(r.requestedAt, '')}</td>
          <td>{dur(r.ringingMs)}</td>
          <td>{dur(r.talkingMs)}</td>
          <td>{r.outcome}</td>
          <td>{r.endedBy || t('history.server')}</td>
        </tr>
      ))}
    </TitledTable>
  );
}
