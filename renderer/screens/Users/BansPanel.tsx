import { useShallow } from 'zustand/react/shallow';
import { useMay } from '../../components/useMay';
import { formatTime } from '../../components/format';
import { useConsoleCall } from '../../components/useConsoleCall';
import { useT } from '../../i18n/useT';
import { useConsoleStore } from '../../state/store';

/** Active bans (`bans:changed`), each liftable. */
export function BansPanel() {
  const t = useT();
  const bans = useConsoleStore(useShallow((s) => [...s.bans.values()].sort((a, b) => a.until - b.until)));
  const language = useConsoleStore((s) => s.language);
  const { run, busy } = useConsoleCall();
  const mayLift = useMay('bans:lift');
  return (
    <aside className="card bans" aria-labelledby="bans-title">
      <h3 id="bans-title">{t('users.bans')}</h3>
      {bans.length === 0 ? (
        <p className="muted">{t('users.noBans')}</p>
      ) : (
        <ul className="plain">
          {bans.map((b) => (
            <li key={b.userId} data-testid={`ban-${b.userId}`}>
              <div>
                <strong>{b.userName || b.userId}</strong> <span className="muted">({b.userId})</span>
              </div>
              <div className="muted small">
                {t('users.banUntil', { time: formatTime(b.until, language) })} · {b.by}
                {b.reason ? ` · ${b.reason}` : ''}
              </div>
              <button type="button" hidden={!mayLift} disabled={busy} onClick={() => void run('bans:lift', { userId: b.userId })} data-testid={`lift-${b.userId}`} aria-label={t('users.lift', { name: b.userName || String(b.userId) })}>
                {t('users.lift', { name: b.userName || String(b.userId) })}
              </button>
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}
