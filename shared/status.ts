import { ServerMessages } from './codes';

/** The components the core runs; each reports a live state to the console's status bar. */
export const componentNames = ['core', 'recorder', 'signaling', 'rooms', 'media', 'gateway'] as const;
export type ComponentName = (typeof componentNames)[number];

export type ComponentState = 'starting' | 'up' | 'degraded' | 'down' | 'stopped';

/**
 * Seed §2.1 server application messages 10–14 map onto our components: the core server,
 * the record server, the login server (client signaling), the room server (the business layer's
 * rooms and mics) and the media server. The gateway has no seed message.
 */
export const serverMessageOf: Record<ComponentName, number | null> = {
  core: ServerMessages.CORE_SERVER_CONN,
  recorder: ServerMessages.RECORD_SERVER_CONN,
  signaling: ServerMessages.LOGIN_SERVER_CONN,
  rooms: ServerMessages.ROOM_SERVER_CONN,
  media: ServerMessages.MEDIA_SERVER_CONN,
  gateway: null,
};

export interface ComponentStatus {
  component: ComponentName;
  /** Seed server message id (10–14), or null where the seed has none. */
  serverMessage: number | null;
  state: ComponentState;
  /** wParam of the server message: 0 when healthy, otherwise an error code. */
  errorCode: number;
  detail: string;
  /** Epoch ms of the last state change. */
  since: number;
}
