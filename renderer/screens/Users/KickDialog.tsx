import { useState } from 'react';
import { ConfirmDialog } from '../../components/Dialog';
import { useConsoleCall } from '../../components/useConsoleCall';
import { useT } from '../../i18n/useT';
import { useDisplayName, useUser } from '../../state/selectors';
import { useConsoleStore } from '../../state/store';

/** Ban lengths offered with a kick, in seconds (0 = no ban). */
const banChoices = [0, 10 * 60, 60 * 60, 24 * 60 * 60, 7 * 24 * 60 * 60] as const;

/** Kick with confirmation; optionally ban for a chosen time and give a reason. */
export function KickDialog({ userId, onClose }: { userId: number; onClose: () => void }) {
  const t = useT();
  const user = useUser(userId);
  const name = useDisplayName(userId);
  const address = user?.address ?? '';
  const guest = user?.guest ?? false;
  const [banSeconds, setBanSeconds] = useState(0);
  const [banAddress, setBanAddress] = useState(false);
  const [reason, setReason] = useState('');
  const { run, busy, error } = useConsoleCall();
  return (
    <ConfirmDialog
      title={t('kick.title', { name })}
      okLabel={t('users.kick', { name })}
      danger
      busy={busy}
      error={error}
      onCancel={onClose}
      onConfirm={async () => {
        const r = await run('users:kick', {
          userId,
          ...(banSeconds > 0 ? { banSeconds, ...(banAddress ? { banAddress } : {}) } : {}),
          ...(reason.trim() ? { reason: reason.trim() } : {}),
        });
        if (!r) return;
        // The user may have left meanwhile: then only the ban was applied, and we say so.
        useConsoleStore.getState().noticeShown('ok', r.kicked ? t('kick.done', { name }) : t('kick.leftBanned', { name }));
        onClose();
      }}
    >
      <label className="field">
        {t('kick.ban')}
        <select value={banSeconds} onChange={(e) => setBanSeconds(Number(e.target.value))} data-testid="kick-ban">
          {banChoices.map((s) => (
            <option key={s} value={s}>
              {banLabel(s, t)}
            </option>
          ))}
        </select>
      </label>
      {banSeconds > 0 && guest && <p className="muted small">{t('kick.guestBan', { name })}</p>}
      {banSeconds > 0 && address && (
        <label className="check">
          <input type="checkbox" checked={banAddress} onChange={(e) => setBanAddress(e.target.checked)} data-testid="kick-ban-address" />
          {t('kick.banAddress', { address })}
        </label>
      )}
      <label className="field">
        {t('kick.reason')}
        <input value={reason} maxLength={200} onChange={(e) => setReason(e.target.value)} data-testid="kick-reason" />
      </label>
    </ConfirmDialog>
  );
}

function banLabel(seconds: number, t: ReturnType<typeof useT>): string {
  if (seconds === 0) return t('kick.noBan');
  if (seconds < 3600) return t('kick.minutes', { n: seconds / 60 });
  if (seconds < 86400) return t('kick.hours', { n: seconds / 3600 });
  return t('kick.days', { n: seconds / 86400 });
}
