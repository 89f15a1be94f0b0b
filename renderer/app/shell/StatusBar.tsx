import { componentNames } from '../../../shared/status';
import { useT } from '../../i18n/useT';
import { useConsoleStore } from '../../state/store';

/** Live state of every component (server messages 10–14), fed by `status:changed` events. */
export function StatusBar() {
  const t = useT();
  const components = useConsoleStore((s) => s.components);
  return (
    <footer className="status-bar" aria-label={t('status.title')}>
      {componentNames.map((name) => {
        const s = components[name];
        const state = s?.state ?? 'stopped';
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
