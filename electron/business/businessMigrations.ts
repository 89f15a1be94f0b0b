/** Every table the business layer owns, in order; the composition root runs them once. */
import type { Migration } from '../store/Database';
import { chatLogMigrations } from './chat/chatLogRepository';
import { persistentRoomMigrations } from './rooms/persistentRooms';

export const businessMigrations: Migration[] = [...chatLogMigrations, ...persistentRoomMigrations];
