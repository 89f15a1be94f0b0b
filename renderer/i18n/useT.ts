import { useCallback } from 'react';
import { useConsoleStore } from '../state/store';
import { languages, type MessageKey } from './messages';

/** Returns a translator for the current language; `{name}` placeholders are filled from vars. */
export function useT(): (key: MessageKey, vars?: Record<string, string | number>) => string {
  const language = useConsoleStore((s) => s.language);
  return useCallback(
    (key, vars) => {
      let text: string = languages[language][key] ?? key;
      if (vars) for (const [k, v] of Object.entries(vars)) text = text.replaceAll(`{${k}}`, String(v));
      return text;
    },
    [language],
  );
}
