import { useCallback, useState } from 'react';
import type { CallArgs, CallName, CallResult } from '../../shared/ipc/contract';
import { useT } from '../i18n/useT';
import { codeMeaning } from './meaning';
import { useConsoleStore } from '../state/store';

/**
 * Runs one console call with busy/error state; on failure the coded error is shown (and returned
 * as null), on success an optional notice. The store is not touched here: its events do that.
 */
export function useConsoleCall() {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(
    async <K extends CallName>(name: K, args: CallArgs<K>, okNotice?: string): Promise<CallResult<K> | null> => {
      const { client, noticeShown } = useConsoleStore.getState();
      if (!client) return null;
      setBusy(true);
      setError(null);
      try {
        const r = await client.call(name, args);
        if (!r.ok) {
          // The code's meaning too: "error 900404: user 1004 has already left (not found (or already gone))".
          const meaning = codeMeaning(r.error.code);
          const text = t('common.error', { code: r.error.code, message: meaning ? `${r.error.message} (${meaning})` : r.error.message });
          setError(text);
          noticeShown('error', text);
          return null;
        }
        if (okNotice) noticeShown('ok', okNotice);
        return r.value;
      } finally {
        setBusy(false);
      }
    },
    [t],
  );
  return { run, busy, error, clearError: () => setError(null) };
}
