import { useT } from '../../i18n/useT';
import { AlertBell } from '../../screens/Alerts/AlertBell';
import type { Language } from '../../i18n/messages';
import { pages } from '../../state/uiSlice';
import { useConsoleStore } from '../../state/store';

export function NavBar({ onSignOut }: { onSignOut?: () => void }) {
  const t = useT();
  const page = useConsoleStore((s) => s.page);
  const navigated = useConsoleStore((s) => s.navigated);
  const language = useConsoleStore((s) => s.language);
  const languageChanged = useConsoleStore((s) => s.languageChanged);
  const operator = useConsoleStore((s) => s.operator);
  const role = useConsoleStore((s) => s.role);
  return (
    <header className="nav">
      <strong className="brand">{t('app.title')}</strong>
      <nav aria-label="main">
        {pages.map((p) => (
          <button
            key={p}
            type="button"
            className={p === page ? 'active' : ''}
            aria-current={p === page ? 'page' : undefined}
            data-testid={`nav-${p}`}
            onClick={() => navigated(p)}
          >
            {t(`nav.${p}`)}
          </button>
        ))}
      </nav>
      <span className="spacer" />
      <AlertBell />
      <label className="lang">
        {t('language')}
        <select data-testid="language" value={language} onChange={(e) => languageChanged(e.target.value as Language)}>
          <option value="en">English</option>
          <option value="zh-CN">简体中文</option>
        </select>
      </label>
      {operator && (
        <span className="operator" data-testid="operator">
          {operator}
        </span>
      )}
      {operator && (
        <span className="tag" data-testid="operator-role">
          {t(`role.${role}`)}
        </span>
      )}
      {onSignOut && (
        <button type="button" onClick={onSignOut} data-testid="signout">
          {t('signout')}
        </button>
      )}
    </header>
  );
}
