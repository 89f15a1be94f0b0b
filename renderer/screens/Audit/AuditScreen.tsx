import { memo, useState } from 'react';
import { AUDIT_PAGE } from '../../app/connect';
import { formatTime } from '../../components/format';
import { useT } from '../../i18n/useT';
import { useConsoleStore } from '../../state/store';

/** Every operator action — who, what, when, result — live from `audit:appended`, older pages on demand. */
export function AuditScreen() {
  const t = useT();
  const ids = useConsoleStore((s) => s.auditIds);
  const hasMore = useConsoleStore((s) => s.auditHasMore);
  const [busy, setBusy] = useState(false);
  const loadOlder = async () => {
    const { client, auditIds } = useConsoleStore.getState();
    const beforeId = auditIds.at(-1);
    if (!client || beforeId === undefined) return;
    setBusy(true);
    const r = await client.call('audit:list', { limit: AUDIT_PAGE, beforeId });
    setBusy(false);
    if (r.ok) useConsoleStore.getState().auditLoaded(r.value, true, AUDIT_PAGE);
  };
  if (ids.length === 0) return <p className="muted">{t('audit.empty')}</p>;
  return (
    <section className="stack">
      <table className="grid">
        <thead>
          <tr>
            <th>{t('audit.at')}</th>
            <th>{t('audit.operator')}</th>
            <th>{t('audit.action')}</th>
            <th>{t('audit.target')}</th>
            <th>{t('audit.params')}</th>
            <th>{t('audit.result')}</th>
          </tr>
        </thead>
        <tbody>
          {ids.map((id) => (
            <AuditRow key={id} id={id} />
          ))}
        </tbody>
      </table>
      {hasMore && (
        <button type="button" disabled={busy} onClick={() => void loadOlder()} data-testid="audit-more">
          {t('common.loadMore')}
        </button>
      )}
    </section>
  );
}

const AuditRow = memo(function AuditRow({ id }: { id: number }) {
  const t = useT();
  const e = useConsoleStore((s) => s.audit.get(id));
  const language = useConsoleStore((s) => s.language);
  if (!e) return null;
  return (
    <tr data-testid={`audit-row-${id}`} data-action={e.action} data-result={e.result}>
      <td>{formatTime(e.at, language)}</td>
      <td>{e.operator}</td>
      <td>
        <code>{e.action}</code>
      </td>
      <td>{e.target}</td>
      <td className="small muted">
        <code>{Object.keys(e.params).length ? JSON.stringify(e.params) : ''}</code>
      </td>
      <td className={e.result === 'ok' ? 'ok' : 'error'} title={e.message ?? undefined}>
        {e.result === 'ok' ? t('audit.ok') : t('audit.error', { code: e.errorCode ?? '' })}
        {e.message && e.result !== 'ok' ? ` · ${e.message}` : ''}
      </td>
    </tr>
  );
});
