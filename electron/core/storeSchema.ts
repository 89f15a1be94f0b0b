/** Every component's store schema: SQLite migrations for the node's own store, PostgreSQL ones for the shared tables. */
import { auditMigrations, auditPgMigrations } from '../audit/AuditLog';
import { operatorMigrations, operatorPgMigrations } from '../auth/operatorRepository';
import { businessMigrations } from '../business';
import { chatLogPgMigrations } from '../business/chat/chatLogRepository';
import { gatewayMigrations } from '../gateway';
import { outboxPgMigrations } from '../gateway/outbox/NotifyOutbox';
import { fileIndexPgMigrations } from '../gateway/sdkFileIndex';
import { serverKeyPgMigrations } from '../gateway/serverKey';
import { sharedIdempotencyPgMigrations } from '../gateway/sharedIdempotency';
import { historyMigrations } from '../observability/historyMigrations';
import { sdkMigrations } from '../sdk';
import { sdkPgMigrations } from '../sdk/SdkStore';
import { banBookPgMigrations } from '../console/banBook';
import type { Migration } from '../store/Database';
import { queuePgMigrations } from '../queueing/QueueObjectStore';
import { idCounterPgMigrations } from '../store/idAllocator';
import type { PgMigration } from '../store/sql/postgresMigrations';

export const sqliteMigrations: Migration[] = [
  ...operatorMigrations,
  ...auditMigrations,
  ...sdkMigrations,
  ...gatewayMigrations,
  ...businessMigrations,
  ...historyMigrations,
];

export const sharedPgMigrations: PgMigration[] = [
  ...chatLogPgMigrations,
  ...fileIndexPgMigrations,
  ...queuePgMigrations,
  ...operatorPgMigrations,
  ...idCounterPgMigrations,
  ...auditPgMigrations,
  ...sdkPgMigrations,
  ...outboxPgMigrations,
  ...banBookPgMigrations,
  ...serverKeyPgMigrations,
  ...sharedIdempotencyPgMigrations,
];
