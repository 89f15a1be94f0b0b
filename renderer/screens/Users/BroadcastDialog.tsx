import { useState } from 'react';
import { Dialog, DialogFooter } from '../../components/Dialog';
import { useConsoleCall } from '../../components/useConsoleCall';
import { useT } from '../../i18n/useT';
import { useRoomIds } from '../../state/selectors';

/** Broadcast a text to one room or to everyone online (roomId -1). */
export function BroadcastDialog({ onClose, roomId: initialRoom = -1 }: { onClose: () => void; roomId?: number }) {
  const t = useT();
  const [roomId, setRoomId] = useState(initialRoom);
  const [text, setText] = useState('');
  const { run, busy, error } = useConsoleCall();
  const roomIds = useRoomIds();
  return (
    <Dialog title={t('broadcast.title')} onClose={onClose} testId="broadcast-dialog">
      <form
        className="dialog-body"
        onSubmit={async (e) => {
          e.preventDefault();
          if (await run('users:broadcast', { roomId, text }, t('message.sent'))) onClose();
        }}
      >
        <label className="field">
          {t('broadcast.target')}
          <select value={roomId} onChange={(e) => setRoomId(Number(e.target.value))} data-testid="broadcast-room">
            <option value={-1}>{t('broadcast.everyone')}</option>
            {roomIds.map((id) => (
              <option key={id} value={id}>
                {t('broadcast.room', { roomId: id })}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          {t('message.text')}
          <textarea rows={4} value={text} onChange={(e) => setText(e.target.value)} required data-testid="broadcast-text" autoFocus />
        </label>
        <DialogFooter error={error} onCancel={onClose} submitLabel={t('common.send')} disabled={busy || !text} submitTestId="broadcast-send" />
      </form>
    </Dialog>
  );
}
