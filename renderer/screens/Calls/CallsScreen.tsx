import { Icon } from '../../components/Icon';
import { useMay } from '../../components/useMay';
import { memo, useState } from 'react';
import { ConfirmDialog } from '../../components/Dialog';
import { formatDuration } from '../../components/format';
import { TitledTable } from '../../components/TitledTable';
import { useConsoleCall } from '../../components/useConsoleCall';
import { useNow } from '../../components/useNow';
import { useT } from '../../i18n/useT';
import { useCall, useCallIds, useCallsClustered, useNameWithId } from '../../state/selectors';

/** Active 1:1 calls (`calls:changed`) with parties and duration; hang up with confirmation. */
export function CallsScreen() {
  const t = useT();
  const ids = useCallIds();
  const [hangup, setHangup] = useState<string | null>(null);
  const clustered = useCallsClustered();
  return (
    <TitledTable
      headers={[
        t('calls.id'),
        t('calls.caller'),
        t('calls.callee'),
        t('calls.state'),
        t('calls.room'),
        t('calls.duration'),
        ...(clustered ? [t('nodes.node')] : []),
        t('users.actions'),
      ]}
      empty={ids.length === 0}
      emptyText={t('calls.empty')}
      after={hangup && <HangupDialog callId={hangup} onClose={() => setHangup(null)} />}
    >
      {ids.map((id) => (
        <CallRow key={id} callId={id} onHangup={setHangup} />
      ))}
    </TitledTable>
  );
}

const CallRow = memo(function CallRow({ callId, onHangup }: { callId: string; onHangup: (id: string) => void }) {
  const t = useT();
  const mayHangup = useMay('calls:hangup');
  const call = useCall(callId);
  const caller = useNameWithId(call?.callerId ?? 0);
  const callee = useNameWithId(call?.calleeId ?? 0);
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
  const call = useCall(callId);
  const caller = useNameWithId(call?.callerId ?? 0);
  const callee = useNameWithId(call?.calleeId ?? 0);
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
