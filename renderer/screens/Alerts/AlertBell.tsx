/**
 * The bell in the nav bar: alerts newest first, unread count, "mark all read". Follows
 * `alerts:raised` itself (the store's event wiring stays untouched).
 */
import { useEffect, useState } from 'react';
import type { AlertRecord } from '../../../shared/ipc/observability';
import { formatTime } from '../../components/format';
import { useT } from '../../i18n/useT';
import { useConsoleStore } from '../../state/store';
import '../History/history.css';

const KEEP = 100;

export function AlertBell() {
  const t = useT();
  const client = useConsoleStore((s) => s.client);
  const language = useConsoleStore((s) => s.language);
  const [alerts, setAlerts] = useState<AlertRecord[]>([]);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (!client) return;
    // Subscribe first, then read the list, so an alert between the two is not lost.
    const off = client.on('alerts:raised', (a) => setAlerts((list) => (list.some((x) => x.id === a.id) ? list : [a, ...list].slice(0, KEEP))));
    void client.call('alerts:list', { limit: KEEP }).then((r) => {
      if (r.ok) setAlerts((live) => [...live, ...r.value.filter((a) => !live.some((x) => x.id === a.id))].sort((a, b) => b.id - a.id));
    });
    return off;
  }, [client]);
  const unread = alerts.filter((a) => !a.acknowledged).length;
  const ackAll = async () => {
    const r = await client?.call('alerts:ack', {});
    if (r?.ok) setAlerts((list) => list.map((a) => ({ ...a, acknowledged: true })));
  };
  return (
    <>
      <button
        type="button"
        className="alert-bell"
        aria-label={unread ? t('alerts.unread', { count: unread }) : t('alerts.bell')}
        title={t('alerts.bell')}
        aria-expanded={open}
        data-testid="alert-bell"
        data-unread={unread}
        onClick={() => setOpen((o) => !o)}
      >
        <svg
          width={18}
          height={18}
          viewBox="0 0 24 24"
          fill="none"
          stroke="currentColor"
          strokeWidth={2}
          strokeLinecap="round"
          strokeLinejoin="round"
          aria-hidden="true"
        >
          <path d="M6 16V11a6 6 0 0 1 12 0v5l2 2H4zM10 20a2 2 0 0 0 4 0" />
        </svg>
        {unread > 0 && <span className="count">{unread}</span>}
      </button>
      {open && (
        <div className="alert-list" role="dialog" aria-label={t('alerts.bell')} data-testid="alert-list">
          {alerts.length === 0 ? (
            <p className="muted">{t('alerts.empty')}</p>
          ) : (
            <ul>
              {alerts.map((a) => (
                <li key={a.id} className={a.acknowledged ? '' : 'unread'} data-testid="alert-item" data-rule={a.rule} data-subject={a.subject}>
                  <span className={`sev-${a.severity}`}>{a.title}</span>
                  <div className="muted">
                    {formatTime(a.at, language)} · {a.detail}
                  </div>
                </li>
              ))}
            </ul>
          )}
          {unread > 0 && (
            <button type="button" onClick={() => void ackAll()} data-testid="alerts-ack">
              {t('alerts.ackAll')}
            </button>
          )}
        </div>
      )}
    </>
  );
}
