/** How the SDK is built: its settings and what the composition root hands it. */
import type { Logger } from 'pino';
import type { Db } from '../store/Database';
import type { IdAllocator } from '../store/idAllocator';
import type { SqlClient } from '../store/sql/SqlClient';
import type { RoomTable } from './RoomTable';
import type { SessionTable } from './SessionTable';
import type { ClusterPort, RecorderPort } from './types';
import type { DirectoryUser } from './UserDirectory';

export interface SdkSettings {
  guestLogin: boolean;
  duplicateLogin: 'kickOld' | 'refuseNew';
  loginFailuresBeforeLock: number;
  accountLockSeconds: number;
  hookTimeoutMs: number;
  callTimeoutSeconds: number;
  maxFileBytes: number;
  /** Guests may start transfers (default false). */
  guestUploads?: boolean;
  uploadInFlightBytes?: number;
  uploadQuotaBytesPerUser?: number;
  uploadQuotaBytesTotal?: number;
  receivedFileRetentionHours?: number;
  minFreeDiskBytes?: number;
}

export interface SdkOptions {
  /** The node's own SQLite (the session journal). */
  db: Db;
  /** The shared store (bans, friends, user info, account locks; default: `db`). */
  store?: SqlClient;
  /** Where room and guest ids come from (default: counters in `store`). */
  ids?: IdAllocator;
  logger: Logger;
  /** The configured user directory (config.users). */
  users: readonly DirectoryUser[];
  settings: SdkSettings;
  /** Where received files are kept until business code deletes them. */
  tempDir?: string;
  recorder?: RecorderPort;
  /** Who is online (default: in-process). */
  sessions?: SessionTable;
  /** Rooms, names and members (default: in-process). */
  rooms?: RoomTable;
  /** The cluster this host is a node of (absent: a single host). */
  cluster?: ClusterPort;
}
