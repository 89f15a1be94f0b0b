import { useNow } from '../../components/useNow';
import { useT } from '../../i18n/useT';
import { useConsoleStore } from '../../state/store';
import { reconnectNow } from '../connect';

/** "Disconnected", the reason, when the next reconnect runs, and a button to retry at once. */
export function ConnectionLostBanner({ reason }: { reason: string | null }) {
  const t = useT();
  const at = useConsoleStore((s) => s.reconnectAt);
  const attempts = useConsoleStore((s) => s.reconnectAttempts);
  const shell = useConsoleStore((s) => s.client?.shell);
  const now = useNow(1000);
  const seconds = at === null ? null : Math.max(0, Math.ceil((at - now) / 1000));
  return (
    <div role="alert" className="banner error" data-testid="connection-lost">
      {t('conn.lost', { reason: reason ?? '' })}{' '}
      {shell === 'web' && (
        <>
          <span data-testid="reconnect-in">
            {seconds === null || seconds === 0 ? t('conn.retryingNow') : t('conn.retrying', { seconds, attempt: attempts + 1 })}
          </span>{' '}
          <button type="button" onClick={reconnectNow} data-testid="reconnect-now">
            {t('conn.retryNow')}
          </button>
        </>
      )}
    </div>
  );
}
