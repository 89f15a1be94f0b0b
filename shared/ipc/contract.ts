/**
 * The console IPC contract, declared once. Calls are request/response from the renderer to the
 * main process; events are streams from the main process to the renderer. The preload, the
 * headless host's console WebSocket and the renderer client are all derived from this file.
 *
 * Channel names follow `domain:verb` (calls) and `domain:event` (events).
 */
import type { ComponentStatus } from '../status';
import type { OperatorRole } from './roles';
import type {
  ActiveCall,
  AuditEntry,
  BanEntry,
  ClusterNodeView,
  DashboardSnapshot,
  DemoInfo,
  DeliveryLogView,
  GatewayOverview,
  OutboxEntryView,
  QueuesView,
  MicStateView,
  ChatLine,
  OnlineUser,
  SeenUserView,
  OperatorSessionView,
  OperatorView,
  PreviewConsumer,
  PreviewTransport,
  RecordingEntry,
  RecordingPage,
  RecordingQuery,
  RoomDetail,
  RoomSummary,
  StatsTick,
  UserDetail,
  UsersDelta,
} from './types';

import type { ObservabilityCalls, ObservabilityEvents } from './observability';
import { observabilityCallNames, observabilityEventNames } from './observability';

export type * from './types';
export type * from './observability';

export interface AppInfo {
  version: string;
  /** 'electron' in the desktop shell, 'web' on the headless host. */
  shell: 'electron' | 'web';
  operator: string | null;
  /** The signed-in operator's role (the Electron app's local operator is an admin). */
  role: OperatorRole;
  startedAt: number;
  sdkVersion: string;
}

type NoArgs = Record<string, never>;

/** Request/response calls: name → argument and result types. */
export interface ConsoleCalls extends ObservabilityCalls {
  'app:info': { args: NoArgs; result: AppInfo };
  'status:snapshot': { args: NoArgs; result: ComponentStatus[] };
  'dashboard:snapshot': { args: NoArgs; result: DashboardSnapshot };
  /** The demo install's sample content; null without `--demo`. */
  'demo:info': { args: NoArgs; result: DemoInfo | null };
  /** The cluster's nodes; empty on a single host. */
  'cluster:nodes': { args: NoArgs; result: ClusterNodeView[] };

  'rooms:list': { args: NoArgs; result: RoomSummary[] };
  'rooms:detail': { args: { roomId: number }; result: RoomDetail };
  'rooms:close': { args: { roomId: number; reason?: string }; result: Record<string, never> };
  'mic:reorder': { args: { roomId: number; queue: number[] }; result: MicStateView };
  'mic:removeFromQueue': { args: { roomId: number; userId: number }; result: MicStateView };
  'mic:forceOff': { args: { roomId: number; userId: number }; result: MicStateView };
  'mic:lockSeat': { args: { roomId: number; seat: number; locked: boolean }; result: MicStateView };
  'mic:setSeatCount': { args: { roomId: number; count: number }; result: MicStateView };

  'users:list': { args: NoArgs; result: OnlineUser[] };
  'users:detail': { args: { userId: number }; result: UserDetail };
  /** Kick with confirmation in the UI; `banSeconds` > 0 also bans the user for that long. */
  /** `kicked` is false when the user had already left (then only the ban, if any, was applied). */
  'users:kick': { args: { userId: number; banSeconds?: number; reason?: string; banAddress?: boolean }; result: { kicked: boolean; banned: boolean } };
  /** Users who have been online here (offline ones too), by id or a name/nickname fragment. */
  'users:lookup': { args: { query: string }; result: SeenUserView[] };
  /** Remote mute of a user's microphone (audio) or camera (video); the user is told (`mediaMuted`). */
  'users:mute': { args: { userId: number; kind: 'audio' | 'video'; muted: boolean }; result: Record<string, never> };
  'users:sendMessage': { args: { userId: number; text: string }; result: Record<string, never> };
  /** SendBufToUser: custom buffer (base64, ≤ 1024 bytes decoded). */
  'users:sendBuffer': { args: { userId: number; dataBase64: string }; result: Record<string, never> };
  /** SendBufToRoom: roomId -1 = everyone online. */
  'users:broadcast': { args: { roomId: number; text: string }; result: Record<string, never> };
  'bans:list': { args: NoArgs; result: BanEntry[] };
  'bans:lift': { args: { userId: number }; result: Record<string, never> };

  /** Record flags: 0x1 video, 0x2 audio (0x4 server-side is implied). */
  'recordings:start': { args: { userId: number; flags: number }; result: { recordingId: string } };
  'recordings:stop': { args: { userId: number }; result: RecordingEntry | null };
  /** "Record room": every publisher of the room in a grid with mixed audio, following joins and leaves (needs ffmpeg). */
  'recordings:startRoom': { args: { roomId: number }; result: { recordingId: string } };
  /** Stops and waits for the composed file. */
  'recordings:stopRoom': { args: { roomId: number }; result: RecordingEntry | null };
  /** Recordings in progress right now (the console then follows `recordings:changed`). */
  'recordings:active': { args: NoArgs; result: RecordingEntry[] };
  'recordings:list': { args: RecordingQuery; result: RecordingPage };
  'recordings:rename': { args: { fileId: string; fileName: string }; result: RecordingEntry };
  'recordings:delete': { args: { fileId: string }; result: Record<string, never> };
  /** A short-lived URL the console can play or download the file from. */
  'recordings:url': { args: { fileId: string; download?: boolean }; result: { url: string; expiresAt: number } };

  'calls:list': { args: NoArgs; result: ActiveCall[] };
  'calls:hangup': { args: { callId: string }; result: Record<string, never> };

  'audit:list': { args: { limit?: number; beforeId?: number }; result: AuditEntry[] };

  /** Gateway screen: apps and keys, outbox depth, request counters. */
  'gateway:overview': { args: NoArgs; result: GatewayOverview };
  'gateway:outbox': { args: { appId?: string; state?: 'pending' | 'dead'; limit?: number }; result: OutboxEntryView[] };
  'gateway:deliveryLog': { args: { appId?: string; notifyId?: string; limit?: number }; result: DeliveryLogView[] };
  /** Re-sends dead notices (one by notifyId, or all of an app, or all). Returns how many. */
  'gateway:resendDead': { args: { notifyId?: string; appId?: string }; result: { resent: number } };
  /** Queues screen: areas, queues with waiting customers, agents and their status. */
  'queues:snapshot': { args: NoArgs; result: QueuesView };

  /** Live preview: the console consumes a room's producers through mediasoup-client. */
  'preview:open': { args: { roomId: number }; result: { previewId: string; routerRtpCapabilities: unknown } };
  'preview:createTransport': { args: { previewId: string }; result: PreviewTransport };
  'preview:connectTransport': { args: { previewId: string; dtlsParameters: unknown }; result: Record<string, never> };
  'preview:consume': { args: { previewId: string; producerId: string; rtpCapabilities: unknown }; result: PreviewConsumer };
  'preview:resume': { args: { previewId: string; consumerId: string }; result: Record<string, never> };
  'preview:close': { args: { previewId: string }; result: Record<string, never> };

  /** A room's public chat, newest first (from the chat log when the room keeps one; else empty). */
  'rooms:chat': { args: { roomId: number; beforeId?: number; limit?: number }; result: { lines: ChatLine[]; logged: boolean } };
  'operators:list': { args: NoArgs; result: OperatorView[] };
  'operators:add': { args: { username: string; password: string; role: OperatorRole }; result: OperatorView };
  'operators:setDisabled': { args: { username: string; disabled: boolean }; result: Record<string, never> };
  'operators:resetPassword': { args: { username: string; password: string }; result: Record<string, never> };
  /** Who is signed in to the web console right now (any role may see it). */
  'operators:sessions': { args: NoArgs; result: OperatorSessionView[] };
}

/** Main → renderer event streams: name → payload type. */
export interface ConsoleEvents extends ObservabilityEvents {
  'status:changed': ComponentStatus;
  /** Online users joined / left / changed (batched). */
  'users:changed': UsersDelta;
  /** A room appeared or changed (`removed: true` when it ended). */
  'rooms:changed': RoomSummary & { removed?: boolean };
  /** A room's membership changed (enter/leave/role). */
  'rooms:members': { roomId: number; users: RoomDetail['users'] };
  'mic:changed': MicStateView;
  'calls:changed': { calls: ActiveCall[] };
  'recordings:changed': { active: RecordingEntry[]; finished?: RecordingEntry };
  'bans:changed': { bans: BanEntry[] };
  'audit:appended': AuditEntry;
  /** Once a second: users online, total media bitrate, per-producer quality, active speakers. */
  'stats:tick': StatsTick;
  /** The notice outbox changed (depth, a delivery, a retry); the screen re-reads what it shows. */
  'gateway:changed': { appId: string };
  /** Queue state changed (agent status, a customer queued or served). */
  'queues:changed': { reason: string };
  /** Producers of a previewed room came or went. */
  'preview:producers': { previewId: string; producers: { producerId: string; userId: number; kind: 'audio' | 'video' }[] };
  /** Operators or their sessions changed (someone signed in or out, an account was added or disabled). */
  'operators:changed': { reason: string };
  /** A public chat line in a room, live. */
  'rooms:chat': ChatLine;
}

export type CallName = keyof ConsoleCalls;
export type EventName = keyof ConsoleEvents;
export type CallArgs<K extends CallName> = ConsoleCalls[K]['args'];
export type CallResult<K extends CallName> = ConsoleCalls[K]['result'];

/** Compile-time check that a runtime list names every key of T exactly. */
type Exhaustive<T, L extends readonly (keyof T)[]> = [keyof T] extends [L[number]] ? L : never;

const callNameList = [
  'app:info',
  'status:snapshot',
  'dashboard:snapshot',
  'demo:info',
  'cluster:nodes',
  'rooms:list',
  'rooms:detail',
  'rooms:close',
  'mic:reorder',
  'mic:removeFromQueue',
  'mic:forceOff',
  'mic:lockSeat',
  'mic:setSeatCount',
  'users:list',
  'users:detail',
  'users:kick',
  'users:lookup',
  'users:mute',
  'users:sendMessage',
  'users:sendBuffer',
  'users:broadcast',
  'bans:list',
  'bans:lift',
  'recordings:start',
  'recordings:stop',
  'recordings:startRoom',
  'recordings:stopRoom',
  'recordings:active',
  'recordings:list',
  'recordings:rename',
  'recordings:delete',
  'recordings:url',
  'calls:list',
  'calls:hangup',
  'audit:list',
  'gateway:overview',
  'gateway:outbox',
  'gateway:deliveryLog',
  'gateway:resendDead',
  'queues:snapshot',
  'preview:open',
  'preview:createTransport',
  'preview:connectTransport',
  'preview:consume',
  'preview:resume',
  'preview:close',
  'rooms:chat',
  'operators:list',
  'operators:add',
  'operators:setDisabled',
  'operators:resetPassword',
  'operators:sessions',
  ...observabilityCallNames,
] as const;
const eventNameList = [
  'status:changed',
  'users:changed',
  'rooms:changed',
  'rooms:members',
  'mic:changed',
  'calls:changed',
  'recordings:changed',
  'bans:changed',
  'audit:appended',
  'stats:tick',
  'gateway:changed',
  'queues:changed',
  'preview:producers',
  'operators:changed',
  'rooms:chat',
  ...observabilityEventNames,
] as const;

export const callNames: Exhaustive<ConsoleCalls, typeof callNameList> = callNameList;
export const eventNames: Exhaustive<ConsoleEvents, typeof eventNameList> = eventNameList;

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && (callNames as readonly string[]).includes(name);
}

/** The console's screens in menu order: the desktop shell's Ctrl/Cmd+1…9 pick them by position. */
export const consoleScreens = ['dashboard', 'rooms', 'users', 'recordings', 'calls', 'gateway', 'queues', 'history', 'audit', 'operators'] as const;
export type ConsoleScreen = (typeof consoleScreens)[number];

/** Desktop shell → renderer only (the application menu); the headless host never sends these. */
export interface ShellEvents {
  'shell:navigate': { screen: ConsoleScreen };
}
export type ShellEventName = keyof ShellEvents;
const shellEventNameList = ['shell:navigate'] as const;
export const shellEventNames: Exhaustive<ShellEvents, typeof shellEventNameList> = shellEventNameList;

/** The object the preload exposes on `window.anychatConsole`: one method per call, `on` per event. */
export type PreloadApi = {
  [K in CallName]: (args: CallArgs<K>) => Promise<import('../result').Result<CallResult<K>>>;
} & {
  on<E extends EventName>(event: E, listener: (payload: ConsoleEvents[E]) => void): () => void;
  /** Shell events (present in the Electron preload only). */
  onShell?<E extends ShellEventName>(event: E, listener: (payload: ShellEvents[E]) => void): () => void;
};
