import type { StateCreator } from 'zustand';
import type { Language } from '../i18n/messages';
import type { ConsoleState } from './store';

export const pages = ['dashboard', 'rooms', 'users', 'recordings', 'calls'] as const;
export type Page = (typeof pages)[number];

const LANGUAGE_KEY = 'anychat.console.language';

function initialLanguage(): Language {
  try {
    const saved = localStorage.getItem(LANGUAGE_KEY);
    if (saved === 'en' || saved === 'zh-CN') return saved;
  } catch {
    /* storage unavailable */
  }
  return 'en';
}

function initialPage(): Page {
  const hash = typeof location !== 'undefined' ? location.hash.replace(/^#\/?/, '') : '';
  return (pages as readonly string[]).includes(hash) ? (hash as Page) : 'dashboard';
}

/** Navigation and preferences (language persisted in localStorage). */
export interface UiSlice {
  page: Page;
  language: Language;
  navigated(page: Page): void;
  languageChanged(language: Language): void;
}

export const createUiSlice: StateCreator<ConsoleState, [], [], UiSlice> = (set) => ({
  page: initialPage(),
  language: initialLanguage(),
  navigated: (page) => {
    if (typeof location !== 'undefined') location.hash = `/${page}`;
    set({ page });
  },
  languageChanged: (language) => {
    try {
      localStorage.setItem(LANGUAGE_KEY, language);
    } catch {
      /* storage unavailable: the choice lasts this session */
    }
    set({ language });
  },
});
