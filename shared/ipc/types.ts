/** Plain DTOs that cross the console IPC boundary (no classes, no functions). */

export type RoomRole = 'interactive' | 'audience';

export interface OnlineUser {
  userId: number;
  userName: string;
  nickName: string;
  level: number;
  /** Room the user is in, or null. */
  roomId: number | null;
  role: RoomRole | null;
  loginAt: number;
  address: string;
  /** User-object flags (0x02 agent …). */
  flags: number;
  guest: boolean;
  /** The cluster node the user is connected to (a cluster only). */
  node?: string;
}

export interface UsersDelta {
  upserted: OnlineUser[];
  removed: number[];
}

export interface UserDetail {
  user: OnlineUser | null;
  /** Offline users still have info and friends. */
  userName: string;
  nickName: string;
  level: number;
  /** Current address when online, else the last one seen. */
  address: string;
  lastLoginAt: number | null;
  /** When an offline user last left (null while online or never seen leaving). */
  lastLogoutAt: number | null;
  info: Record<string, string>;
  friends: { userId: number; nickName: string; online: boolean; groupId: number | null }[];
  groups: { groupId: number; name: string }[];
  ban: BanEntry | null;
}

export interface BanEntry {
  userId: number;
  userName: string;
  nickName: string;
  until: number;
  reason: string;
  /** The operator who imposed it ('server' when not imposed from the console). */
  by: string;
  createdAt: number;
  /** The user's last known address, and whether logins from it are banned too. */
  address: string;
  byAddress: boolean;
  /** A guest ban holds by guest name (a guest gets a new id at each login). */
  guest: boolean;
}

export interface RoomSummary {
  roomId: number;
  name: string | null;
  userCount: number;
  capacity: number | null;
  hasPassword: boolean;
  seatCount: number;
  queueLength: number;
  createdAt: number;
  /** A room allocated for a 1:1 video call. */
  isCallRoom: boolean;
  /** The cluster nodes its members are connected to (a cluster only). */
  nodes?: string[];
}

export interface MicSeatView {
  /** Seat number as the server counts it: 0-based. UIs show seat + 1. */
  seat: number;
  userId: number | null;
  locked: boolean;
  /** When the current occupant took the seat (epoch ms), or null. */
  since: number | null;
}

export interface MicStateView {
  roomId: number;
  seats: MicSeatView[];
  queue: number[];
}

export interface RoomMember {
  userId: number;
  nickName: string;
  role: RoomRole;
}

export interface RoomDetail {
  room: RoomSummary;
  users: RoomMember[];
  mic: MicStateView;
  /** `operatorMuted`: an operator muted this kind for the user (users:mute). */
  producers: { producerId: string; userId: number; kind: 'audio' | 'video'; paused: boolean; operatorMuted?: boolean }[];
  recordings: RecordingEntry[];
}

export interface RecordingEntry {
  /** File id in the store's file index (null while recording). */
  fileId: string | null;
  recordingId: string;
  userId: number;
  roomId: number | null;
  fileName: string;
  flags: number;
  startedAt: number;
  durationSeconds: number | null;
  bytes: number | null;
  state: 'recording' | 'finished' | 'failed';
  error?: string;
  /** single user; mixed (0x10/0x20/0x100/0x200); room (composed "Record room"); snapshot (0x400, a JPEG) */
  kind?: 'single' | 'mixed' | 'room' | 'snapshot';
  /** the recording's error code when it ended badly (shared/codes) */
  errorCode?: number;
}

export interface RecordingQuery {
  from?: number;
  to?: number;
  userId?: number;
  name?: string;
  page?: number;
  pageSize?: number;
}

export interface RecordingPage {
  items: RecordingEntry[];
  total: number;
  page: number;
  pageSize: number;
}

export interface ActiveCall {
  callId: string;
  callerId: number;
  calleeId: number;
  state: 'requesting' | 'active';
  roomId: number | null;
  startedAt: number;
  answeredAt: number | null;
  /** The cluster node that runs the call (a cluster only). */
  node?: string;
}

/** One node of a cluster (Dashboard, Nodes panel). */
export interface ClusterNodeView {
  nodeId: string;
  status: 'up' | 'down' | 'stopped';
  url: string;
  users: number;
  rooms: number;
  /** Producers on the node's media node. */
  mediaLoad: number;
  lastSeen: number;
  /** The node this console is served by. */
  self: boolean;
}

export interface AuditEntry {
  id: number;
  at: number;
  operator: string;
  action: string;
  target: string;
  params: Record<string, unknown>;
  result: 'ok' | 'error';
  errorCode: number | null;
  message: string | null;
}

export interface ProducerQuality {
  producerId: string;
  userId: number;
  roomId: number;
  kind: 'audio' | 'video';
  bitrate: number;
  lossRate: number;
  rttMs: number | null;
  audioLevel: number | null;
}

/** A user's receive transport: the media node's estimate of its downlink (transport-cc), bits/s. */
export interface DownlinkEstimate {
  transportId: string;
  userId: number;
  roomId: number;
  estimatedBitrate: number;
}

export interface StatsTick {
  at: number;
  usersOnline: number;
  roomCount: number;
  activeCalls: number;
  /** Server recordings finished since local midnight (from the store's file index). */
  recordingsToday: number;
  /** Total media bitrate through the media node, bits/s. */
  bitrate: number;
  producers: ProducerQuality[];
  /** Per receive transport whose viewer sends transport-cc feedback (absent from older sources). */
  downlinks?: DownlinkEstimate[];
  /** roomId → userId of the loudest speaker, where one speaks. */
  activeSpeakers: Record<number, number>;
}

export interface DashboardSnapshot {
  usersOnline: number;
  roomCount: number;
  activeCalls: number;
  recordingsToday: number;
  /** Last 15 minutes, one point per tick (at most 900). */
  history: { at: number; usersOnline: number; bitrate: number }[];
}

export interface PreviewTransport {
  id: string;
  iceParameters: unknown;
  iceCandidates: unknown[];
  dtlsParameters: unknown;
}

export interface PreviewConsumer {
  id: string;
  producerId: string;
  kind: 'audio' | 'video';
  rtpParameters: unknown;
}

// ---------------------------------------------------------------- gateway and smart queueing

export interface GatewayAppView {
  appId: string;
  callbackUrl: string | null;
  /** Whether an MD5 key is set, and a short hint (never the key). */
  md5Key: { set: boolean; hint: string };
  rsaPublicKey: { set: boolean; sha256: string | null; pem: string | null };
  timestampWindowSeconds: number;
  downloadUrlSeconds: number;
  retry: { initialDelayMs: number; maxDelayMs: number; maxAttempts: number };
  notifySignType: 'MD5' | 'RSA' | null;
  notifyMethods: string[];
}

export interface GatewayOverview {
  apps: GatewayAppView[];
  /** PEM of the server's RSA public key (verifies RSA-signed notices). */
  serverPublicKeyPem: string;
  outbox: { appId: string; pending: number; dead: number; oldestPendingMs: number }[];
  requests: { total: number; success: number; byMethod: Record<string, { success: number; fail: number }>; byErrorCode: Record<string, number> };
}

export interface OutboxEntryView {
  id: number;
  notifyId: string;
  appId: string;
  method: string;
  body: Record<string, unknown>;
  createdAt: number;
  state: 'pending' | 'dead';
  attempts: number;
  nextAttemptAt: number;
  lastAttemptAt: number | null;
  lastStatus: number | null;
  lastError: string | null;
}

export interface DeliveryLogView {
  id: number;
  notifyId: string;
  appId: string;
  method: string;
  attempt: number;
  at: number;
  httpStatus: number | null;
  error: string | null;
  outcome: 'delivered' | 'retry' | 'dead';
}

export interface QueueObjectView {
  objectguid: string;
  /** 4 service area, 5 queue, 9 skill, 10 queue group. */
  objecttype: number;
  objectid: number;
  parentobjectid: number;
  name: string;
  description: string;
  flags: number;
  priority: number;
  skillgroups: number[];
  queuegroups: number[];
  param: number;
  strparam: string;
}

export interface QueuesView {
  areas: (QueueObjectView & { agentCount: number; guestCount: number; queuedCount: number })[];
  queues: (QueueObjectView & { waiting: { userId: number; userName: string; waitingSinceMs: number }[] })[];
  skills: QueueObjectView[];
  queueGroups: QueueObjectView[];
  /** status: 0 not ready, 1 idle, 2 busy, 3 away. */
  agents: {
    userId: number;
    userName: string;
    status: number;
    areaGuid: string | null;
    servingUserId: number | null;
    statusSince: number;
    skillgroups: number[];
  }[];
  userObjects: { userId: number; flags: number; priority: number; skillgroups: number[]; queuegroups: number[] }[];
}

/** A console operator account (never its password). */
export interface OperatorView {
  username: string;
  role: import('./roles').OperatorRole;
  disabled: boolean;
  /** 'config' (config file), 'console' (added by an admin), 'initial' (the auto-created admin). */
  source: 'config' | 'console' | 'initial';
  createdAt: number;
}

/** One signed-in web console session. */
export interface OperatorSessionView {
  username: string;
  role: import('./roles').OperatorRole;
  address: string;
  signedInAt: number;
  lastSeenAt: number;
}

/** A user who has been online on this host (from the console's login history). */
export interface SeenUserView {
  userId: number;
  userName: string;
  nickName: string;
  address: string;
  guest: boolean;
  lastLoginAt: number;
  lastLogoutAt: number | null;
  online: boolean;
}

/** One public chat line of a room (console room view). Whispers are not shown to operators. */
export interface ChatLine {
  /** The chat log's id when the room keeps a log; null for a live line of a room without one. */
  id: number | null;
  roomId: number;
  srcUserId: number;
  /** Nickname (or user name) of the sender; '' when unknown (0 = the server). */
  srcName: string;
  text: string;
  at: number;
}

/** A demo install's sample content (`demo:info`; null when the host runs without `--demo`). */
export interface DemoInfo {
  rooms: string[];
  /** Path of the demo client page on the host; its "Join demo-lobby" button joins as a guest. */
  demoPagePath: string;
  /** The demo page's absolute address on this host (the console may not be served by it, e.g. in Electron). */
  demoPageUrl: string;
  scenes: { name: string; state: 'starting' | 'running' | 'restarting' | 'stopped'; detail: string; restarts: number }[];
  /** Webhook notices the demo's built-in receiver accepted. */
  webhookNotices: number;
}
