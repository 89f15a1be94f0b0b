import { Icon } from '../../components/Icon';
import { useEffect } from 'react';
import { useT } from '../../i18n/useT';
import { useConsoleStore } from '../../state/store';

/** The outcome of the last operator action, announced politely; fades after a few seconds. */
export function NoticeBar() {
  const t = useT();
  const notice = useConsoleStore((s) => s.notice);
  const dismiss = useConsoleStore((s) => s.noticeDismissed);
  useEffect(() => {
    if (!notice) return;
    const id = setTimeout(dismiss, notice.kind === 'error' ? 8000 : 4000);
    return () => clearTimeout(id);
  }, [notice, dismiss]);
  return (
    <div className="notice-area" aria-live="polite">
      {notice && (
        <div className={`notice notice-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="notice">
          <span>{notice.text}</span>
          <button type="button" className="icon" aria-label={t('common.close')} onClick={dismiss}>
            <Icon name="close" />
          </button>
        </div>
      )}
    </div>
  );
}
