/** What a demo install runs (shared/docs/protocol.md §4): names, the bot roster, the queue objects. */
export const DEMO_LOBBY = 'demo-lobby';
export const DEMO_STAGE = 'demo-stage';
/**
 * Mic seats of demo-stage (protocol: 2–4). Five stage bots for two seats: both seats' time limits
 * run out together, and with three queued one still waits while those taken off ask again.
 */
export const STAGE_SEATS = 2;
/** Seat time limit for a demo install without one configured, so seats rotate. */
export const DEMO_SEAT_SECONDS = 30;
export const DEMO_APP_ID = 'DEMO-APP-0000-0000-0000-000000000000';
export const DEMO_AREA = 'Demo service hall';
export const DEMO_QUEUES = ['Sales', 'Support'] as const;
/** Where the demo page joins demo-lobby as a guest in one click. */
export const DEMO_PAGE_PATH = '/demo/';
/** Finished recordings the demo keeps in the index (made once, at the first start). */
export const DEMO_RECORDINGS = 3;

export type BotRole = 'lobby' | 'stage' | 'caller' | 'callee' | 'agent' | 'customer';

export interface DemoBotUser {
  userName: string;
  nickName: string;
  userId: number;
  role: BotRole;
}

/** Directory users for the bots: stable ids, so agents keep their queue objects across restarts. */
export const DEMO_BOTS: readonly DemoBotUser[] = [
  { userName: 'demo-ava', nickName: 'Ava (bot)', userId: 2_000_001, role: 'lobby' },
  { userName: 'demo-ben', nickName: 'Ben (bot)', userId: 2_000_002, role: 'lobby' },
  { userName: 'demo-cleo', nickName: 'Cleo (bot)', userId: 2_000_011, role: 'stage' },
  { userName: 'demo-dan', nickName: 'Dan (bot)', userId: 2_000_012, role: 'stage' },
  { userName: 'demo-eve', nickName: 'Eve (bot)', userId: 2_000_013, role: 'stage' },
  { userName: 'demo-fay', nickName: 'Fay (bot)', userId: 2_000_014, role: 'stage' },
  { userName: 'demo-gus', nickName: 'Gus (bot)', userId: 2_000_015, role: 'stage' },
  { userName: 'demo-finn', nickName: 'Finn (bot)', userId: 2_000_021, role: 'caller' },
  { userName: 'demo-gia', nickName: 'Gia (bot)', userId: 2_000_022, role: 'callee' },
  { userName: 'demo-agent-hal', nickName: 'Hal (agent bot)', userId: 2_000_031, role: 'agent' },
  { userName: 'demo-agent-ivy', nickName: 'Ivy (agent bot)', userId: 2_000_032, role: 'agent' },
  { userName: 'demo-customer-1', nickName: 'Customer 1 (bot)', userId: 2_000_041, role: 'customer' },
  { userName: 'demo-customer-2', nickName: 'Customer 2 (bot)', userId: 2_000_042, role: 'customer' },
  { userName: 'demo-customer-3', nickName: 'Customer 3 (bot)', userId: 2_000_043, role: 'customer' },
  { userName: 'demo-customer-4', nickName: 'Customer 4 (bot)', userId: 2_000_044, role: 'customer' },
];

export const botsWithRole = (role: BotRole): DemoBotUser[] => DEMO_BOTS.filter((b) => b.role === role);

export const LOBBY_LINES = [
  'Hello from the demo lobby!',
  'This video is a looped test clip with a clock.',
  'Open the console to watch this room live.',
  'Anyone can join here as a guest from /demo/.',
  'The tone is 440 Hz, three seconds on, three off: we talk in turns.',
  'Try the Rooms screen: the preview tiles are us.',
];
