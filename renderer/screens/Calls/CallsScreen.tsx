import { Icon } from '../../components/Icon';
import { useMay } from '../../components/useMay';
import { memo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ConfirmDialog } from '../../components/Dialog';
import { formatDuration } from '../../components/format';
import { useConsoleCall } from '../../components/useConsoleCall';
import { useNow } from '../../components/useNow';
import { useT } from '../../i18n/useT';
import { useConsoleStore } from '../../state/store';

/** Active 1:1 calls (`calls:changed`) with parties and duration; hang up with confirmation. */
export function CallsScreen() {
  const t = useT();
  // A small set: derive the ids in the selector; useShallow keeps the array while they are equal.
  const ids = useConsoleStore(useShallow((s) => [...s.calls.values()].sort((a, b) => a.startedAt - b.startedAt).map((c) => c.callId)));
  const [hangup, setHangup] = useState<string | null>(null);
  // A cluster names each call's node (the first call tells).
  const clustered = useConsoleStore((s) => s.calls.values().next().value?.node !== undefined);
  if (ids.length === 0) return <p className="muted">{t('calls.empty')}</p>;
  return (
    <section>
      <table className="grid">
        <thead>
          <tr>
            <th>{t('calls.id')}</th>
            <th>{t('calls.caller')}</th>
            <th>{t('calls.callee')}</th>
            <th>{t('calls.state')}</th>
            <th>{t('calls.room')}</th>
            <th>{t('calls.duration')}</th>
            {clustered && <th>{t('nodes.node')}</th>}
            <th>{t('users.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {ids.map((id) => (
            <CallRow key={id} callId={id} onHangup={setHangup} />
          ))}
        </tbody>
      </table>
      {hangup && <HangupDialog callId={hangup} onClose={() => setHangup(null)} />}
    </section>
  );
}

function useUserName(userId: number): string {
  return useConsoleStore((s) => {
    const u = s.users.get(userId);
    return u ? `${u.nickName || u.userName} (${userId})` : String(userId);
  });
}

const CallRow = memo(function CallRow({ callId, onHangup }: { callId: string; onHangup: (id: string) => void }) {
  const t = useT();
  const mayHangup = useMay('calls:hangup');
  const call = useConsoleStore((s) => s.calls.get(callId));
  const caller = useUserName(call?.callerId ?? 0);
  const callee = useUserName(call?.calleeId ?? 0);
  const now = useNow();
  if (!call) return null;
  const since = call.answeredAt ?? call.startedAt;
  return (
    <tr data-testid={`call-row-${callId}`} data-state={call.state}>
      <td>{callId}</td>
      <td>{caller}</td>
      <td>{callee}</td>
      <td>{t(`calls.state.${call.state}`)}</td>
      <td>{call.roomId ?? '—'}</td>
      <td data-testid={`call-duration-${callId}`}>{formatDuration((now - since) / 1000)}</td>
      {call.node !== undefined && <td data-testid={`call-node-${callId}`}>{call.node}</td>}
      <td>
        <button
          type="button"
          className="danger"
          hidden={!mayHangup}
          aria-label={t('calls.hangup', { callId })}
          data-testid={`hangup-${callId}`}
          onClick={() => onHangup(callId)}
        >
          <Icon name="hangup" size={20} />
        </button>
      </td>
    </tr>
  );
});

function HangupDialog({ callId, onClose }: { callId: string; onClose: () => void }) {
  const t = useT();
  const call = useConsoleStore((s) => s.calls.get(callId));
  const caller = useUserName(call?.callerId ?? 0);
  const callee = useUserName(call?.calleeId ?? 0);
  const { run, busy, error } = useConsoleCall();
  return (
    <ConfirmDialog
      title={t('calls.hangup', { callId })}
      message={t('calls.hangupConfirm', { caller, callee })}
      danger
      busy={busy}
      error={error}
      onCancel={onClose}
      onConfirm={async () => {
        if (await run('calls:hangup', { callId })) onClose();
      }}
    />
  );
}
