import { componentNames } from '../../../shared/status';
import { useT } from '../../i18n/useT';
import { useConsoleStore } from '../../state/store';

export function DashboardScreen() {
  const t = useT();
  const components = useConsoleStore((s) => s.components);
  return (
    <section>
      <h2>{t('dashboard.components')}</h2>
      <table className="grid">
        <thead>
          <tr>
            <th>{t('status.title')}</th>
            <th>{t('dashboard.serverMessage')}</th>
            <th>State</th>
            <th>Detail</th>
          </tr>
        </thead>
        <tbody>
          {componentNames.map((name) => {
            const s = components[name];
            return (
              <tr key={name} data-testid={`dashboard-status-${name}`}>
                <td>{t(`status.${name}`)}</td>
                <td>{s?.serverMessage ?? '—'}</td>
                <td className={`state-${s?.state ?? 'stopped'}`}>{t(`state.${s?.state ?? 'stopped'}`)}</td>
                <td>{s?.detail ?? ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
