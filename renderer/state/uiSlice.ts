import type { StateCreator } from 'zustand';
import type { Language } from '../i18n/messages';
import type { ConsoleState } from './store';

import { consoleScreens, type ConsoleScreen } from '../../shared/ipc/contract';

/** The console's pages in nav order: one list, shared with the desktop menu's Ctrl/Cmd+1…9. */
export const pages = consoleScreens;
export type Page = ConsoleScreen;

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

/** `#/rooms/42` → page rooms, room 42. */
export function parseHash(hash: string): { page: Page; roomId: number | null } {
  const [head, arg] = hash.replace(/^#\/?/, '').split('/');
  const page = (pages as readonly string[]).includes(head) ? (head as Page) : 'dashboard';
  const roomId = page === 'rooms' && arg && /^\d+$/.test(arg) ? Number(arg) : null;
  return { page, roomId };
}

const initial = parseHash(typeof location !== 'undefined' ? location.hash : '');

export interface Notice {
  id: number;
  kind: 'ok' | 'error';
  text: string;
}

/** Navigation, preferences (language persisted in localStorage) and the last action's notice. */
export interface UiSlice {
  page: Page;
  /** The room whose detail is open on the Rooms page, or null for the list. */
  roomId: number | null;
  language: Language;
  notice: Notice | null;
  navigated(page: Page): void;
  roomOpened(roomId: number | null): void;
  languageChanged(language: Language): void;
  noticeShown(kind: Notice['kind'], text: string): void;
  noticeDismissed(): void;
}

function writeHash(page: Page, roomId: number | null) {
  if (typeof location !== 'undefined') location.hash = roomId === null ? `/${page}` : `/${page}/${roomId}`;
}

let noticeSeq = 0;

export const createUiSlice: StateCreator<ConsoleState, [], [], UiSlice> = (set) => ({
  page: initial.page,
  roomId: initial.roomId,
  language: initialLanguage(),
  notice: null,
  navigated: (page) => {
    writeHash(page, null);
    set({ page, roomId: null });
  },
  roomOpened: (roomId) => {
    writeHash('rooms', roomId);
    set({ page: 'rooms', roomId });
  },
  languageChanged: (language) => {
    try {
      localStorage.setItem(LANGUAGE_KEY, language);
    } catch {
      /* storage unavailable: the choice lasts this session */
    }
    set({ language });
  },
  noticeShown: (kind, text) => set({ notice: { id: ++noticeSeq, kind, text } }),
  noticeDismissed: () => set({ notice: null }),
});
