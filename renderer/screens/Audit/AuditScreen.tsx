import { memo, useCallback, useState } from 'react';
import type { AuditEntry } from '../../../shared/ipc/contract';
import { formatTime } from '../../components/format';
import { TitledTable } from '../../components/TitledTable';
import { codeMeaning } from '../../components/meaning';
import { useT } from '../../i18n/useT';
import { auditEntries, useAuditEntry, useAuditIdsMatching } from '../../state/selectors';
import { useConsoleStore } from '../../state/store';
import { auditCsv, auditSentence } from './auditSentence';

type ResultFilter = 'all' | 'ok' | 'error';

/**
 * Every operator action and sign-in, in sentences — who, what, when, result with the code's
 * meaning — live from `audit:appended`, older pages on demand; filter by text and result, and
 * export what is loaded as CSV.
 */
export function AuditScreen() {
  const t = useT();
  const total = useConsoleStore((s) => s.auditIds.length);
  const hasMore = useConsoleStore((s) => s.auditHasMore);
  const busy = useConsoleStore((s) => s.auditOlderLoading);
  const loadOlder = useConsoleStore((s) => s.fetchOlderAudit);
  const [text, setText] = useState('');
  const [result, setResult] = useState<ResultFilter>('all');
  const language = useConsoleStore((s) => s.language);
  const q = text.trim().toLowerCase();
  const match = useCallback(
    (e: AuditEntry) =>
      (result === 'all' || e.result === result) &&
      (!q || `${auditSentence(e, t)} ${e.operator} ${e.action} ${e.target} ${e.message ?? ''}`.toLowerCase().includes(q)),
    [q, result, t],
  );
  const shown = useAuditIdsMatching(!q && result === 'all' ? null : match);
  const exportCsv = () => {
    const entries = auditEntries(shown);
    const blob = new Blob([auditCsv(entries, (e) => auditSentence(e, t), codeMeaning)], { type: 'text/csv;charset=utf-8' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `audit-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  };
  if (total === 0) return <p className="muted">{t('audit.empty')}</p>;
  return (
    <section className="stack">
      <div className="toolbar wrap">
        <input
          type="search"
          aria-label={t('audit.filter')}
          placeholder={t('audit.filter')}
          value={text}
          onChange={(e) => setText(e.target.value)}
          data-testid="audit-filter"
        />
        <select aria-label={t('audit.result')} value={result} onChange={(e) => setResult(e.target.value as ResultFilter)} data-testid="audit-filter-result">
          <option value="all">{t('audit.filterAll')}</option>
          <option value="ok">{t('audit.filterOk')}</option>
          <option value="error">{t('audit.filterError')}</option>
        </select>
        <span className="muted small" data-testid="audit-count">
          {t('audit.shown', { shown: shown.length, total })}
        </span>
        <span className="spacer" />
        <button type="button" onClick={exportCsv} data-testid="audit-export">
          {t('audit.export')}
        </button>
      </div>
      <TitledTable headers={[t('audit.at'), t('audit.sentence'), t('audit.result')]}>
        {shown.map((id) => (
          <AuditRow key={id} id={id} language={language} />
        ))}
      </TitledTable>
      {hasMore && (
        <button type="button" disabled={busy} onClick={() => void loadOlder()} data-testid="audit-more">
          {t('common.loadMore')}
        </button>
      )}
    </section>
  );
}

const AuditRow = memo(function AuditRow({ id, language }: { id: number; language: string }) {
  const t = useT();
  const e = useAuditEntry(id);
  if (!e) return null;
  const meaning = codeMeaning(e.errorCode);
  return (
    <tr data-testid={`audit-row-${id}`} data-action={e.action} data-result={e.result}>
      <td>{formatTime(e.at, language)}</td>
      <td title={`${e.action} · ${e.target}${Object.keys(e.params).length ? ` · ${JSON.stringify(e.params)}` : ''}`}>{auditSentence(e, t)}</td>
      <td className={e.result === 'ok' ? 'ok' : 'error'} title={e.message ?? undefined}>
        {e.result === 'ok' ? t('audit.ok') : t('audit.error', { code: e.errorCode ?? '' })}
        {meaning && e.result !== 'ok' ? ` (${meaning})` : ''}
        {e.message && e.result !== 'ok' ? ` · ${e.message}` : ''}
      </td>
    </tr>
  );
});
