import { useState, type FormEvent } from 'react';
import type { SeenUserView } from '../../../shared/ipc/contract';
import { formatShortTime } from '../../components/format';
import { useConsoleCall } from '../../components/useConsoleCall';
import { useT } from '../../i18n/useT';
import { useConsoleStore } from '../../state/store';
import { UserDetailDialog } from './UserDetailDialog';

/** Look up any user who has been online here — offline ones too — by id, user name or nickname. */
export function UserLookup() {
  const t = useT();
  const language = useConsoleStore((s) => s.language);
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<SeenUserView[] | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const { run, busy } = useConsoleCall();
  async function submit(e: FormEvent) {
    e.preventDefault();
    const r = await run('users:lookup', { query: query.trim() });
    if (r) setFound(r);
  }
  return (
    <section className="card" aria-labelledby="lookup-title">
      <h3 id="lookup-title">{t('lookup.title')}</h3>
      <form className="toolbar" onSubmit={(e) => void submit(e)}>
        <input
          type="search"
          required
          maxLength={64}
          aria-label={t('lookup.query')}
          placeholder={t('lookup.query')}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          data-testid="lookup-query"
        />
        <button type="submit" disabled={busy} data-testid="lookup-submit">
          {t('common.search')}
        </button>
      </form>
      {found && found.length === 0 && <p className="muted">{t('lookup.none')}</p>}
      {found && found.length > 0 && (
        <ul className="plain lookup" data-testid="lookup-results">
          {found.map((u) => (
            <li key={u.userId} data-testid={`lookup-${u.userId}`}>
              <button type="button" className="link" onClick={() => setOpen(u.userId)} title={t('users.idHover', { id: u.userId })}>
                {u.nickName || u.userName}
              </button>{' '}
              <span className="muted small">
                {u.userName} ·{' '}
                {u.online ? t('detail.online') : u.lastLogoutAt ? t('lookup.leftAt', { time: formatShortTime(u.lastLogoutAt, language) }) : t('detail.offline')}{' '}
                · {u.address}
              </span>
            </li>
          ))}
        </ul>
      )}
      {open !== null && <UserDetailDialog userId={open} onClose={() => setOpen(null)} />}
    </section>
  );
}
