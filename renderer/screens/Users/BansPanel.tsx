import { useNow } from '../../components/useNow';
import { useMay } from '../../components/useMay';
import { formatTime } from '../../components/format';
import { useConsoleCall } from '../../components/useConsoleCall';
import { useT } from '../../i18n/useT';
import { useBans } from '../../state/selectors';
import { useConsoleStore } from '../../state/store';

/** Active bans (`bans:changed`), each liftable. */
export function BansPanel() {
  const t = useT();
  // A ban that lapses leaves the list on its own (the server also pushes the list when one lapses).
  const now = useNow(1000);
  const bans = useBans().filter((b) => b.until > now);
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
              <div title={t('users.idHover', { id: b.userId })}>
                <strong>{b.nickName || b.userName || b.userId}</strong>
                {b.nickName && b.userName && b.nickName !== b.userName ? <span className="muted"> ({b.userName})</span> : null}
                {b.guest && <span className="tag">{t('users.guest')}</span>}
              </div>
              <div className="muted small" data-testid={`ban-details-${b.userId}`}>
                {t('users.banUntil', { time: formatTime(b.until, language) })} · {t('bans.by', { operator: b.by })}
                {b.reason ? ` · ${b.reason}` : ''}
              </div>
              {b.address && (
                <div className="muted small" data-testid={`ban-address-${b.userId}`}>
                  {b.byAddress ? t('bans.addressBanned', { address: b.address }) : t('bans.lastAddress', { address: b.address })}
                </div>
              )}
              <button
                type="button"
                hidden={!mayLift}
                disabled={busy}
                onClick={() => void run('bans:lift', { userId: b.userId })}
                data-testid={`lift-${b.userId}`}
                aria-label={t('users.lift', { name: b.userName || String(b.userId) })}
              >
                {t('users.lift', { name: b.userName || String(b.userId) })}
              </button>
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}
