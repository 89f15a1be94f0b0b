import { useState } from 'react';
import { Dialog, DialogFooter } from '../../components/Dialog';
import { textToBase64, utf8Bytes } from '../../components/format';
import { useConsoleCall } from '../../components/useConsoleCall';
import { useT } from '../../i18n/useT';
import { useNickName } from '../../state/selectors';

const BUFFER_LIMIT = 1024;

/** Send one user a text message or a custom buffer (SendBufToUser, ≤ 1024 bytes). */
export function MessageDialog({ userId, onClose }: { userId: number; onClose: () => void }) {
  const t = useT();
  const name = useNickName(userId);
  const [kind, setKind] = useState<'text' | 'buffer'>('text');
  const [text, setText] = useState('');
  const { run, busy, error } = useConsoleCall();
  const bytes = utf8Bytes(text);
  const tooLong = kind === 'buffer' && bytes > BUFFER_LIMIT;
  return (
    <Dialog title={t('message.title', { name })} onClose={onClose} testId="message-dialog">
      <form
        className="dialog-body"
        onSubmit={async (e) => {
          e.preventDefault();
          const r =
            kind === 'text'
              ? await run('users:sendMessage', { userId, text }, t('message.sent'))
              : await run('users:sendBuffer', { userId, dataBase64: textToBase64(text) }, t('message.sent'));
          if (r) onClose();
        }}
      >
        <fieldset className="toolbar">
          <label>
            <input type="radio" name="kind" checked={kind === 'text'} onChange={() => setKind('text')} /> {t('message.kindText')}
          </label>
          <label>
            <input type="radio" name="kind" checked={kind === 'buffer'} onChange={() => setKind('buffer')} data-testid="message-kind-buffer" />{' '}
            {t('message.kindBuffer')}
          </label>
        </fieldset>
        <label className="field">
          {kind === 'text' ? t('message.text') : t('message.buffer')}
          <textarea rows={4} value={text} onChange={(e) => setText(e.target.value)} required data-testid="message-text" autoFocus />
        </label>
        {tooLong && (
          <p role="alert" className="error">
            {t('message.tooLong', { bytes })}
          </p>
        )}
        <DialogFooter
          error={error}
          onCancel={onClose}
          submitLabel={t('common.send')}
          disabled={busy || tooLong || text.length === 0}
          submitTestId="message-send"
        />
      </form>
    </Dialog>
  );
}
