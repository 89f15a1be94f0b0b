/**
 * The per-room text chat log (seed §2.10: "keep every text chat on the server, e.g. in a
 * database"). Only rooms with the chat log switched on are written; rows older than the
 * retention are pruned.
 */
import type { Logger } from 'pino';
import type { Migration } from '../../store/Database';
import type { PgMigration } from '../../store/sql/postgresMigrations';
import type { SqlClient } from '../../store/sql/SqlClient';

export interface ChatLogEntry {
  id: number;
  roomId: number;
  roomName: string | null;
  srcUserId: number;
  /** -1 = everyone in the room. */
  targetUserId: number;
  secret: boolean;
  text: string;
  at: number;
}

export const chatLogMigrations: Migration[] = [
  {
    id: 'business:001_chat_log',
    up(db) {
      db.exec(`CREATE TABLE business_chat_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        room_id INTEGER NOT NULL,
        room_name TEXT,
        src_user_id INTEGER NOT NULL,
        target_user_id INTEGER NOT NULL,
        secret INTEGER NOT NULL,
        text TEXT NOT NULL,
        at INTEGER NOT NULL
      );
      CREATE INDEX business_chat_log_room ON business_chat_log (room_id, id);
      CREATE INDEX business_chat_log_name ON business_chat_log (room_name, id);
      CREATE INDEX business_chat_log_at ON business_chat_log (at);`);
    },
  },
];

export const chatLogPgMigrations: PgMigration[] = [
  {
    id: 'business:001_chat_log',
    sql: `CREATE TABLE business_chat_log (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        room_id BIGINT NOT NULL,
        room_name TEXT,
        src_user_id BIGINT NOT NULL,
        target_user_id BIGINT NOT NULL,
        secret INTEGER NOT NULL,
        text TEXT NOT NULL,
        at BIGINT NOT NULL
      );
      CREATE INDEX business_chat_log_room ON business_chat_log (room_id, id);
      CREATE INDEX business_chat_log_name ON business_chat_log (room_name, id);
      CREATE INDEX business_chat_log_at ON business_chat_log (at);`,
  },
];

interface Row {
  id: number;
  room_id: number;
  room_name: string | null;
  src_user_id: number;
  target_user_id: number;
  secret: number;
  text: string;
  at: number;
}

export interface ChatLogQuery {
  roomId?: number;
  roomName?: string;
  /** Only entries with a smaller id (paging backwards). */
  beforeId?: number;
  /** 1–500, default 100. */
  limit?: number;
}

export class ChatLogRepository {
  /** Appends are written one after another (a room's lines keep their order); reads wait for them. */
  private writes: Promise<unknown> = Promise.resolve();

  constructor(private readonly db: SqlClient) {}

  append(e: Omit<ChatLogEntry, 'id'>): Promise<number> {
    const write = this.writes.then(async () => {
      const row = await this.db.get<{ id: number }>(
        `INSERT INTO business_chat_log (room_id, room_name, src_user_id, target_user_id, secret, text, at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        [e.roomId, e.roomName, e.srcUserId, e.targetUserId, e.secret ? 1 : 0, e.text, e.at],
      );
      return Number(row!.id);
    });
    this.writes = write.catch(() => undefined);
    return write;
  }

  /** Newest first. */
  async query(q: ChatLogQuery): Promise<ChatLogEntry[]> {
    await this.writes;
    const where: string[] = [];
    const args: (number | string)[] = [];
    if (q.roomId !== undefined) {
      where.push('room_id = ?');
      args.push(q.roomId);
    }
    if (q.roomName !== undefined) {
      where.push('room_name = ?');
      args.push(q.roomName);
    }
    if (q.beforeId !== undefined) {
      where.push('id < ?');
      args.push(q.beforeId);
    }
    const limit = Math.min(500, Math.max(1, Math.floor(q.limit ?? 100)));
    const sql = `SELECT * FROM business_chat_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ${limit}`;
    return (await this.db.all<Row>(sql, args)).map(toEntry);
  }

  appendInBackground(e: Omit<ChatLogEntry, 'id'>, logger: Logger): void {
    this.append(e).catch((err: unknown) => logger.warn({ err }, 'chat line not logged'));
  }

  pruneInBackground(before: number, logger: Logger): void {
    this.prune(before).then(
      (n) => n > 0 && logger.info({ rows: n }, 'chat log pruned'),
      (err: unknown) => logger.warn({ err }, 'chat log prune failed'),
    );
  }

  /** Deletes entries older than `before` (epoch ms); returns how many. */
  async prune(before: number): Promise<number> {
    return (await this.db.run('DELETE FROM business_chat_log WHERE at < ?', [before])).changes;
  }
}

function toEntry(r: Row): ChatLogEntry {
  return {
    id: r.id,
    roomId: r.room_id,
    roomName: r.room_name,
    srcUserId: r.src_user_id,
    targetUserId: r.target_user_id,
    secret: Number(r.secret) === 1,
    text: r.text,
    at: r.at,
  };
}
