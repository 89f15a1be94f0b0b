import { componentNames } from '../../../shared/status';
import { useT } from '../../i18n/useT';
import { useConsoleStore } from '../../state/store';

/**
 * Live state of every component (server messages 10–14), fed by `status:changed` events. While
 * the connection to the host is down nothing is known, so no component shows green.
 */
export function StatusBar() {
  const t = useT();
  const components = useConsoleStore((s) => s.components);
  const connected = useConsoleStore((s) => s.connection === 'connected');
  return (
    <footer className="status-bar" aria-label={t('status.title')}>
      {!connected && (
        <span className="status-item state-down" data-testid="status-connection" data-state="disconnected">
          <span className="dot" aria-hidden="true" />
          {t('status.disconnected')}
        </span>
      )}
      {componentNames.map((name) => {
        const s = components[name];
        const state = !connected ? 'unknown' : (s?.state ?? 'stopped');
        return (
          <span
            key={name}
            className={`status-item state-${state}`}
            data-testid={`status-${name}`}
            data-state={state}
            title={s ? `${s.detail}${s.serverMessage !== null ? ` · msg ${s.serverMessage}` : ''}${s.errorCode ? ` · error ${s.errorCode}` : ''}` : ''}
          >
            <span className="dot" aria-hidden="true" />
            {t(`status.${name}`)}: {t(`state.${state}`)}
          </span>
        );
      })}
    </footer>
  );
}
