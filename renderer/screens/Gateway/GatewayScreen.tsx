import { memo, useState } from 'react';
import { ConfirmDialog } from '../../components/Dialog';
import { formatDuration, formatShortTime } from '../../components/format';
import { Icon } from '../../components/Icon';
import { TitledTable } from '../../components/TitledTable';
import { useConsoleCall } from '../../components/useConsoleCall';
import { useNow } from '../../components/useNow';
import { useT } from '../../i18n/useT';
import { useConsoleStore } from '../../state/store';
import type { DeliveryLogView, GatewayAppView, OutboxEntryView } from '../../../shared/ipc/contract';

/**
 * The HTTP business gateway: configured apps and keys, the server's public key, the notice outbox
 * (depth per app, dead notices with re-send), the delivery log and request counters. Live from
 * `gateway:changed` (the slice re-reads the snapshot).
 */
export function GatewayScreen() {
  const t = useT();
  const loaded = useConsoleStore((s) => s.gateway !== null);
  if (!loaded) return <p className="muted">{t('common.loading')}</p>;
  return (
    <section className="stack">
      <AppsTable />
      <div className="two-col">
        <OutboxDepth />
        <ServerKey />
      </div>
      <DeadNotices />
      <DeliveryLog />
      <RequestCounters />
    </section>
  );
}

function AppsTable() {
  const t = useT();
  const apps = useConsoleStore((s) => s.gateway!.overview.apps);
  return (
    <TitledTable
      id="gw-apps"
      title={t('gateway.apps')}
      headers={[
        t('gateway.appId'),
        t('gateway.callbackUrl'),
        t('gateway.md5Key'),
        t('gateway.rsaKey'),
        t('gateway.window'),
        t('gateway.retry'),
        t('gateway.signType'),
      ]}
      empty={apps.length === 0}
      emptyText={t('gateway.noApps')}
    >
      {apps.map((a) => (
        <AppRow key={a.appId} app={a} />
      ))}
    </TitledTable>
  );
}

function AppRow({ app }: { app: GatewayAppView }) {
  const t = useT();
  return (
    <tr data-testid={`gateway-app-${app.appId}`}>
      <td className="mono">{app.appId}</td>
      <td className="mono">{app.callbackUrl ?? '—'}</td>
      <td data-testid={`gateway-app-md5-${app.appId}`}>{app.md5Key.set ? t('gateway.md5Set', { hint: app.md5Key.hint }) : t('common.no')}</td>
      <td className="mono" title={app.rsaPublicKey.pem ?? undefined}>
        {app.rsaPublicKey.set ? (app.rsaPublicKey.sha256 ?? t('common.yes')) : t('common.no')}
      </td>
      <td>{t('gateway.windowValue', { seconds: app.timestampWindowSeconds })}</td>
      <td>{t('gateway.retryValue', { attempts: app.retry.maxAttempts, initial: app.retry.initialDelayMs, max: app.retry.maxDelayMs })}</td>
      <td>{app.notifySignType ?? t('gateway.signAuto')}</td>
    </tr>
  );
}

function ServerKey() {
  const t = useT();
  const pem = useConsoleStore((s) => s.gateway!.overview.serverPublicKeyPem);
  const noticeShown = useConsoleStore((s) => s.noticeShown);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(pem);
      noticeShown('ok', t('gateway.copied'));
    } catch {
      noticeShown('error', t('gateway.copyFailed'));
    }
  };
  return (
    <section aria-labelledby="gw-key">
      <div className="toolbar">
        <h3 id="gw-key">{t('gateway.serverKey')}</h3>
        <span className="spacer" />
        <button
          type="button"
          className="icon"
          aria-label={t('gateway.copy')}
          title={t('gateway.copy')}
          data-testid="server-key-copy"
          onClick={() => void copy()}
        >
          <Icon name="copy" />
        </button>
      </div>
      <p className="muted small">{t('gateway.serverKeyHelp')}</p>
      <pre className="pem" data-testid="server-public-key">
        {pem}
      </pre>
    </section>
  );
}

function OutboxDepth() {
  const t = useT();
  const outbox = useConsoleStore((s) => s.gateway!.overview.outbox);
  const readAt = useConsoleStore((s) => s.gateway!.readAt);
  const now = useNow();
  return (
    <TitledTable id="gw-outbox" title={t('gateway.outbox')} headers={[t('gateway.appId'), t('gateway.pending'), t('gateway.dead'), t('gateway.oldest')]}>
      {outbox.map((o) => (
        <tr key={o.appId} data-testid={`outbox-depth-${o.appId}`} data-pending={o.pending} data-dead={o.dead}>
          <td className="mono">{o.appId}</td>
          <td data-testid={`outbox-pending-${o.appId}`}>{o.pending}</td>
          <td data-testid={`outbox-dead-${o.appId}`}>{o.dead}</td>
          {/* The age was measured at read time; it keeps growing until the next change. */}
          <td>{o.pending > 0 ? formatDuration((o.oldestPendingMs + now - readAt) / 1000) : '—'}</td>
        </tr>
      ))}
    </TitledTable>
  );
}

function DeadNotices() {
  const t = useT();
  const dead = useConsoleStore((s) => s.gateway!.dead);
  // The list is capped (DEAD_LIMIT); the outbox depth counts every dead notice.
  const deadTotal = useConsoleStore((s) => s.gateway!.overview.outbox.reduce((n, o) => n + o.dead, 0));
  const [confirmAll, setConfirmAll] = useState(false);
  const { run, busy, error } = useConsoleCall();
  const resendOne = async (notifyId: string) => {
    const r = await run('gateway:resendDead', { notifyId });
    if (r) useConsoleStore.getState().noticeShown('ok', t('gateway.resent', { count: r.resent }));
  };
  return (
    <TitledTable
      id="gw-dead"
      title={
        <>
          {t('gateway.deadTitle')}{' '}
          <span className="tag" data-testid="dead-count">
            {dead.length}
          </span>
        </>
      }
      tools={
        <button type="button" className="danger" disabled={deadTotal === 0 || busy} data-testid="resend-all" onClick={() => setConfirmAll(true)}>
          <Icon name="resend" /> {t('gateway.resendAll')}
        </button>
      }
      headers={[
        t('gateway.notifyId'),
        t('gateway.appId'),
        t('gateway.method'),
        t('gateway.created'),
        t('gateway.attempts'),
        t('gateway.lastError'),
        t('users.actions'),
      ]}
      empty={dead.length === 0}
      emptyText={t('gateway.deadEmpty')}
      after={
        <>
          {confirmAll && <ResendAllDialog count={deadTotal} onClose={() => setConfirmAll(false)} />}
          {error && !confirmAll && (
            <p role="alert" className="error">
              {error}
            </p>
          )}
        </>
      }
    >
      {dead.map((n) => (
        <DeadRow key={n.notifyId} notice={n} busy={busy} onResend={resendOne} />
      ))}
    </TitledTable>
  );
}

const DeadRow = memo(function DeadRow({ notice, busy, onResend }: { notice: OutboxEntryView; busy: boolean; onResend: (notifyId: string) => void }) {
  const t = useT();
  const language = useConsoleStore((s) => s.language);
  const lastError = notice.lastError ?? (notice.lastStatus !== null ? `HTTP ${notice.lastStatus}` : null);
  return (
    <tr data-testid={`dead-notice-${notice.notifyId}`} data-app-id={notice.appId}>
      <td className="mono">{notice.notifyId}</td>
      <td className="mono">{notice.appId}</td>
      <td>{notice.method}</td>
      <td>{formatShortTime(notice.createdAt, language)}</td>
      <td>{notice.attempts}</td>
      <td>{lastError || '—'}</td>
      <td>
        <button
          type="button"
          className="icon"
          disabled={busy}
          aria-label={t('gateway.resend', { notifyId: notice.notifyId })}
          title={t('gateway.resend', { notifyId: notice.notifyId })}
          data-testid={`resend-${notice.notifyId}`}
          onClick={() => onResend(notice.notifyId)}
        >
          <Icon name="resend" />
        </button>
      </td>
    </tr>
  );
});

function ResendAllDialog({ count, onClose }: { count: number; onClose: () => void }) {
  const t = useT();
  const { run, busy, error } = useConsoleCall();
  return (
    <ConfirmDialog
      title={t('gateway.resendAll')}
      message={t('gateway.resendAllConfirm', { count })}
      okLabel={t('gateway.resendAll')}
      busy={busy}
      error={error}
      onCancel={onClose}
      onConfirm={async () => {
        const r = await run('gateway:resendDead', {});
        if (r) {
          useConsoleStore.getState().noticeShown('ok', t('gateway.resent', { count: r.resent }));
          onClose();
        }
      }}
    />
  );
}

function DeliveryLog() {
  const t = useT();
  const log = useConsoleStore((s) => s.gateway!.log);
  const apps = useConsoleStore((s) => s.gateway!.overview.apps);
  const appId = useConsoleStore((s) => s.deliveryLogAppId);
  const filtered = useConsoleStore((s) => s.deliveryLogFiltered);
  return (
    <TitledTable
      id="gw-log"
      title={t('gateway.log')}
      tools={
        <label>
          {t('gateway.logApp')}{' '}
          <select data-testid="delivery-filter-app" value={appId ?? ''} onChange={(e) => void filtered(e.target.value === '' ? null : e.target.value)}>
            <option value="">{t('common.all')}</option>
            {apps.map((a) => (
              <option key={a.appId} value={a.appId}>
                {a.appId}
              </option>
            ))}
          </select>
        </label>
      }
      headers={[
        t('gateway.at'),
        t('gateway.appId'),
        t('gateway.method'),
        t('gateway.notifyId'),
        t('gateway.attempt'),
        t('gateway.httpStatus'),
        t('gateway.error'),
        t('gateway.outcome'),
      ]}
      empty={log.length === 0}
      emptyText={t('gateway.logEmpty')}
    >
      {log.map((e) => (
        <DeliveryRow key={e.id} entry={e} />
      ))}
    </TitledTable>
  );
}

const DeliveryRow = memo(function DeliveryRow({ entry }: { entry: DeliveryLogView }) {
  const t = useT();
  const language = useConsoleStore((s) => s.language);
  return (
    <tr data-testid={`delivery-row-${entry.id}`} data-outcome={entry.outcome} data-notify-id={entry.notifyId}>
      <td>{formatShortTime(entry.at, language)}</td>
      <td className="mono">{entry.appId}</td>
      <td>{entry.method}</td>
      <td className="mono">{entry.notifyId}</td>
      <td>{entry.attempt}</td>
      <td>{entry.httpStatus ?? '—'}</td>
      <td>{entry.error ?? '—'}</td>
      <td>
        <span className={`badge s-${entry.outcome}`}>{t(`gateway.outcome.${entry.outcome}`)}</span>
      </td>
    </tr>
  );
});

function RequestCounters() {
  const t = useT();
  const requests = useConsoleStore((s) => s.gateway!.overview.requests);
  const methods = Object.entries(requests.byMethod).sort(([a], [b]) => a.localeCompare(b));
  const codes = Object.entries(requests.byErrorCode).sort(([a], [b]) => a.localeCompare(b));
  return (
    <section aria-labelledby="gw-requests" className="stack">
      <h3 id="gw-requests">{t('gateway.requests')}</h3>
      <div className="cards">
        <div className="card" data-testid="requests-total">
          <div className="muted">{t('gateway.total')}</div>
          <div className="card-value">{requests.total}</div>
        </div>
        <div className="card" data-testid="requests-success">
          <div className="muted">{t('gateway.success')}</div>
          <div className="card-value">{requests.success}</div>
        </div>
        <div className="card" data-testid="requests-failed">
          <div className="muted">{t('gateway.failed')}</div>
          <div className="card-value">{requests.total - requests.success}</div>
        </div>
      </div>
      <div className="two-col">
        <TitledTable caption={t('gateway.byMethod')} headers={[t('gateway.method'), t('gateway.success'), t('gateway.failed')]}>
          {methods.length === 0 && (
            <tr>
              <td colSpan={3} className="muted">
                {t('common.none')}
              </td>
            </tr>
          )}
          {methods.map(([m, c]) => (
            <tr key={m} data-testid={`requests-method-${m}`}>
              <td>{m}</td>
              <td>{c.success}</td>
              <td>{c.fail}</td>
            </tr>
          ))}
        </TitledTable>
        <TitledTable caption={t('gateway.byError')} headers={[t('gateway.code'), t('gateway.count')]}>
          {codes.length === 0 && (
            <tr>
              <td colSpan={2} className="muted">
                {t('common.none')}
              </td>
            </tr>
          )}
          {codes.map(([code, n]) => (
            <tr key={code} data-testid={`requests-error-${code}`}>
              <td>{code}</td>
              <td>{n}</td>
            </tr>
          ))}
        </TitledTable>
      </div>
    </section>
  );
}
