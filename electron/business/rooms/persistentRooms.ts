/**
 * Rooms an operator made persistent: kept in the store with what the operator set (password
 * digest, capacity, seat count, chat log, custom info) and restored with the same id at start, so
 * a restart loses none of it (issue 13). They do not end when empty; an operator close removes them.
 */
import type { Db, Migration } from '../../store/Database';
import type { RoomRecord } from './roomRegistry';

export const persistentRoomMigrations: Migration[] = [
  {
    id: 'business:002_persistent_rooms',
    up(db) {
      db.exec(`CREATE TABLE business_persistent_rooms (
        room_id INTEGER PRIMARY KEY,
        name TEXT,
        password_digest BLOB,
        capacity INTEGER,
        seat_count INTEGER NOT NULL,
        chat_log INTEGER NOT NULL,
        custom_info TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL
      )`);
    },
  },
];

export interface PersistentRoomRow {
  roomId: number;
  name: string | null;
  passwordDigest: Buffer | null;
  capacity: number | null;
  seatCount: number;
  chatLog: boolean;
  customInfo: string;
  createdAt: number;
}

export class PersistentRoomStore {
  constructor(private readonly db: Db) {}

  all(): PersistentRoomRow[] {
    const rows = this.db.prepare('SELECT * FROM business_persistent_rooms ORDER BY room_id').all() as Record<string, unknown>[];
    return rows.map((r) => ({
      roomId: Number(r.room_id),
      name: (r.name as string | null) ?? null,
      passwordDigest: r.password_digest ? Buffer.from(r.password_digest as Uint8Array) : null,
      capacity: r.capacity === null ? null : Number(r.capacity),
      seatCount: Number(r.seat_count),
      chatLog: Number(r.chat_log) === 1,
      customInfo: String(r.custom_info ?? ''),
      createdAt: Number(r.created_at),
    }));
  }

  save(r: PersistentRoomRow): void {
    this.db
      .prepare(
        `INSERT INTO business_persistent_rooms (room_id, name, password_digest, capacity, seat_count, chat_log, custom_info, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (room_id) DO UPDATE SET name = excluded.name, password_digest = excluded.password_digest, capacity = excluded.capacity,
           seat_count = excluded.seat_count, chat_log = excluded.chat_log, custom_info = excluded.custom_info`,
      )
      .run(r.roomId, r.name, r.passwordDigest, r.capacity, r.seatCount, r.chatLog ? 1 : 0, r.customInfo, r.createdAt);
  }

  delete(roomId: number): void {
    this.db.prepare('DELETE FROM business_persistent_rooms WHERE room_id = ?').run(roomId);
  }
}

/** What the store keeps of a persistent room: the operator's settings, not its members. */
export function persistentRowOf(room: RoomRecord): PersistentRoomRow {
  return {
    roomId: room.roomId,
    name: room.name,
    passwordDigest: room.passwordDigest,
    capacity: room.capacity,
    seatCount: room.seatCount,
    chatLog: room.chatLog,
    customInfo: room.customInfo,
    createdAt: room.createdAt,
  };
}
