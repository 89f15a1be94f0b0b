import { Icon } from './Icon';
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useT } from '../i18n/useT';

/**
 * A modal dialog on the native `<dialog>` element: `showModal()` makes the rest of the page inert
 * (focus stays inside), Escape closes it (the `cancel` event), and focus returns to the control
 * that opened it.
 */
export function Dialog({ title, onClose, children, testId }: { title: string; onClose: () => void; children: ReactNode; testId?: string }) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement as HTMLElement | null;
    if (!dialog.open) dialog.showModal();
    const cancel = (e: Event) => {
      e.preventDefault();
      onCloseRef.current();
    };
    dialog.addEventListener('cancel', cancel);
    return () => {
      dialog.removeEventListener('cancel', cancel);
      if (dialog.open) dialog.close();
      opener?.focus?.();
    };
  }, []);

  return (
    <dialog ref={ref} className="dialog" aria-labelledby={titleId} data-testid={testId}>
      <header className="dialog-head">
        <h3 id={titleId}>{title}</h3>
        <button type="button" className="icon" aria-label={t('common.close')} onClick={onClose}>
          <Icon name="close" />
        </button>
      </header>
      {children}
    </dialog>
  );
}

/** The end of every dialog form: its error (`dialog-error`), then Cancel and the submit button. */
export function DialogFooter({
  error,
  onCancel,
  cancelTestId,
  submitLabel,
  submitClass = 'primary',
  disabled,
  submitTestId,
  autoFocus,
}: {
  error?: string | null;
  onCancel: () => void;
  cancelTestId?: string;
  submitLabel: string;
  submitClass?: 'primary' | 'danger';
  disabled?: boolean;
  submitTestId: string;
  autoFocus?: boolean;
}) {
  const t = useT();
  return (
    <>
      {error && (
        <p role="alert" className="error" data-testid="dialog-error">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onCancel} data-testid={cancelTestId}>
          {t('common.cancel')}
        </button>
        <button type="submit" className={submitClass} disabled={disabled} data-testid={submitTestId} autoFocus={autoFocus}>
          {submitLabel}
        </button>
      </div>
    </>
  );
}

/** A yes/no confirmation: `confirm-ok` / `confirm-cancel`. Extra fields go in `children`. */
export function ConfirmDialog({
  title,
  message,
  okLabel,
  danger,
  busy,
  error,
  onConfirm,
  onCancel,
  children,
}: {
  title: string;
  message?: string;
  okLabel?: string;
  danger?: boolean;
  busy?: boolean;
  error?: string | null;
  onConfirm: () => void;
  onCancel: () => void;
  children?: ReactNode;
}) {
  const t = useT();
  return (
    <Dialog title={title} onClose={onCancel} testId="confirm-dialog">
      <form
        method="dialog"
        className="dialog-body"
        onSubmit={(e) => {
          e.preventDefault();
          onConfirm();
        }}
      >
        {message && <p>{message}</p>}
        {children}
        <DialogFooter
          error={error}
          onCancel={onCancel}
          cancelTestId="confirm-cancel"
          submitLabel={okLabel ?? t('common.confirm')}
          submitClass={danger ? 'danger' : 'primary'}
          disabled={busy}
          submitTestId="confirm-ok"
          autoFocus
        />
      </form>
    </Dialog>
  );
}
