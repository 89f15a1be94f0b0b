/**
 * Whether quitting needs the operator's confirmation. Quitting stops the whole platform: every
 * client is disconnected and every room, call and recording ends, so with anything live the app
 * asks first and names what would end. Pure (no Electron), unit-tested.
 */
export interface LiveCounts {
  /** Rooms with at least one user in them. */
  rooms: number;
  users: number;
  calls: number;
  recordings: number;
}

export interface QuitPrompt {
  message: string;
  detail: string;
  /** Button labels; index `confirmIndex` quits, `cancelIndex` keeps serving. */
  buttons: [string, string];
  confirmIndex: 0;
  cancelIndex: 1;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "2 rooms, 1 call and 1 recording": only the non-zero parts, in a stable order. */
export function describeLive(counts: LiveCounts): string {
  const parts: string[] = [];
  if (counts.rooms > 0) parts.push(plural(counts.rooms, 'live room', 'live rooms'));
  if (counts.calls > 0) parts.push(plural(counts.calls, 'call', 'calls'));
  if (counts.recordings > 0) parts.push(plural(counts.recordings, 'recording', 'recordings'));
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** The prompt to show before quitting, or null when nothing live would end (quit at once). */
export function quitConfirmation(counts: LiveCounts): QuitPrompt | null {
  if (counts.rooms <= 0 && counts.calls <= 0 && counts.recordings <= 0) return null;
  const users = counts.users > 0 ? ` ${plural(counts.users, 'user is', 'users are')} online and will be disconnected.` : '';
  return {
    message: `Quit AnyChat Console with ${describeLive(counts)}?`,
    detail: `Quitting stops the platform: ${describeLive(counts)} will end.${users} Close the window instead to keep serving from the tray.`,
    buttons: ['Quit and stop serving', 'Cancel'],
    confirmIndex: 0,
    cancelIndex: 1,
  };
}

/** The tray's live line, e.g. "3 rooms · 12 users · 1 call". */
export function trayCountsLabel(counts: Pick<LiveCounts, 'rooms' | 'users' | 'calls'>): string {
  return `${plural(counts.rooms, 'room', 'rooms')} · ${plural(counts.users, 'user', 'users')} · ${plural(counts.calls, 'call', 'calls')}`;
}
