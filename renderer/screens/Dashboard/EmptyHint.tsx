import { useConsoleStore } from '../../state/store';
import { useT } from '../../i18n/useT';

/** On an idle host (nobody online, no room), what to do next: the demo page, `--demo`, or configure an app. */
export function EmptyHint() {
  const t = useT();
  const idle = useConsoleStore((s) => s.usersOnline === 0 && s.roomCount === 0 && s.lastTickAt !== null);
  const shell = useConsoleStore((s) => s.client?.shell);
  if (!idle) return null;
  const demoUrl = shell === 'web' ? '/demo/' : null;
  return (
    <section className="card hint" data-testid="dashboard-empty" aria-labelledby="empty-title">
      <h3 id="empty-title">{t('dashboard.emptyTitle')}</h3>
      <ul>
        <li>
          {demoUrl ? (
            <a href={demoUrl} target="_blank" rel="noopener" data-testid="dashboard-empty-demo">
              {t('dashboard.emptyDemo')}
            </a>
          ) : (
            t('dashboard.emptyDemo')
          )}
        </li>
        <li>{t('dashboard.emptyDemoFlag')}</li>
        <li>{t('dashboard.emptyApps')}</li>
      </ul>
    </section>
  );
}
