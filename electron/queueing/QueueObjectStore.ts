/**
 * Persistent smart-queue objects: service areas, queues, skills and queue groups (object_info_set),
 * and user objects (userinfo_ctrl 11 / the client agent method: flags, priority, skills, queue groups).
 */
import { randomUUID } from 'node:crypto';
import type { Migration } from '../store/Database';
import type { PgMigration } from '../store/sql/postgresMigrations';
import type { SqlClient } from '../store/sql/SqlClient';

/** A smart-queueing object (seed: service area, queue, skill, queue group); the console's QueueObjectView has this shape. */
export interface QueueObject {
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

export interface UserObject {
  userId: number;
  flags: number;
  priority: number;
  skillgroups: number[];
  queuegroups: number[];
}

export const queueMigrations: Migration[] = [
  {
    id: 'queueing:001_objects',
    up(db) {
      db.exec(`CREATE TABLE queue_objects (
        objectguid TEXT PRIMARY KEY,
        objecttype INTEGER NOT NULL,
        objectid INTEGER NOT NULL,
        parentobjectid INTEGER NOT NULL DEFAULT 0,
        name TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        flags INTEGER NOT NULL DEFAULT 0,
        priority INTEGER NOT NULL DEFAULT 0,
        skillgroups TEXT NOT NULL DEFAULT '[]',
        queuegroups TEXT NOT NULL DEFAULT '[]',
        param INTEGER NOT NULL DEFAULT 0,
        strparam TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        UNIQUE (objecttype, objectid)
      );
      CREATE TABLE queue_user_objects (
        user_id INTEGER PRIMARY KEY,
        flags INTEGER NOT NULL,
        priority INTEGER NOT NULL DEFAULT 0,
        skillgroups TEXT NOT NULL DEFAULT '[]',
        queuegroups TEXT NOT NULL DEFAULT '[]',
        updated_at INTEGER NOT NULL
      );`);
    },
  },
];

export const queuePgMigrations: PgMigration[] = [
  {
    id: 'queueing:001_objects',
    sql: `CREATE TABLE queue_objects (
        objectguid TEXT PRIMARY KEY,
        objecttype INTEGER NOT NULL,
        objectid BIGINT NOT NULL,
        parentobjectid BIGINT NOT NULL DEFAULT 0,
        name TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        flags BIGINT NOT NULL DEFAULT 0,
        priority BIGINT NOT NULL DEFAULT 0,
        skillgroups TEXT NOT NULL DEFAULT '[]',
        queuegroups TEXT NOT NULL DEFAULT '[]',
        param BIGINT NOT NULL DEFAULT 0,
        strparam TEXT NOT NULL DEFAULT '',
        created_at BIGINT NOT NULL,
        UNIQUE (objecttype, objectid)
      );
      CREATE TABLE queue_user_objects (
        user_id BIGINT PRIMARY KEY,
        flags BIGINT NOT NULL,
        priority BIGINT NOT NULL DEFAULT 0,
        skillgroups TEXT NOT NULL DEFAULT '[]',
        queuegroups TEXT NOT NULL DEFAULT '[]',
        updated_at BIGINT NOT NULL
      );`,
  },
];

interface ObjectRow extends Omit<QueueObject, 'skillgroups' | 'queuegroups'> {
  skillgroups: string;
  queuegroups: string;
}

const toObject = (r: ObjectRow): QueueObject => ({
  ...r,
  skillgroups: JSON.parse(r.skillgroups) as number[],
  queuegroups: JSON.parse(r.queuegroups) as number[],
});

export type NewQueueObject = Pick<QueueObject, 'objecttype' | 'objectid' | 'name'> & Partial<Omit<QueueObject, 'objectguid'>>;

export class QueueObjectStore {
  /** Cached copy; the store is small and read on every routing decision. */
  private objects = new Map<string, QueueObject>();
  private users = new Map<number, UserObject>();
  /** User-object writes, one after another (routing changes them synchronously). */
  private writes: Promise<unknown> = Promise.resolve();

  private constructor(private readonly db: SqlClient) {}

  static async open(db: SqlClient): Promise<QueueObjectStore> {
    const store = new QueueObjectStore(db);
    await store.reload();
    return store;
  }

  /** Reads everything again (other nodes of a cluster write the same objects). */
  async reload(): Promise<void> {
    await this.writes;
    const rows = await this.db.all<ObjectRow & { created_at: number }>('SELECT * FROM queue_objects ORDER BY objecttype, objectid');
    const users = await this.db.all<{ user_id: number; flags: number; priority: number; skillgroups: string; queuegroups: string }>(
      'SELECT * FROM queue_user_objects',
    );
    this.objects = new Map(
      rows.map(({ created_at: _c, ...row }) => {
        const o = toObject(row);
        return [o.objectguid, o];
      }),
    );
    this.users = new Map(
      users.map((r) => [
        r.user_id,
        {
          userId: r.user_id,
          flags: r.flags,
          priority: r.priority,
          skillgroups: JSON.parse(r.skillgroups) as number[],
          queuegroups: JSON.parse(r.queuegroups) as number[],
        },
      ]),
    );
  }

  /** Resolves once the user-object writes made so far are in the store. */
  async settled(): Promise<void> {
    await this.writes;
  }

  /** Up to date before a read that must see other nodes' writes: reloads when the store is shared. */
  async fresh(): Promise<void> {
    if (this.db.dialect === 'postgres') await this.reload();
  }

  all(): QueueObject[] {
    return [...this.objects.values()];
  }

  get(guid: string): QueueObject | undefined {
    return this.objects.get(guid.toUpperCase()) ?? this.objects.get(guid);
  }

  byId(objecttype: number, objectid: number): QueueObject | undefined {
    for (const o of this.objects.values()) if (o.objecttype === objecttype && o.objectid === objectid) return o;
    return undefined;
  }

  ofType(objecttype: number): QueueObject[] {
    return this.all().filter((o) => o.objecttype === objecttype);
  }

  /** Throws 'duplicate' when (type, id) exists. */
  async create(input: NewQueueObject): Promise<QueueObject> {
    if (this.byId(input.objecttype, input.objectid)) throw new Error('duplicate');
    const o: QueueObject = {
      objectguid: randomUUID().toUpperCase(),
      objecttype: input.objecttype,
      objectid: input.objectid,
      parentobjectid: input.parentobjectid ?? 0,
      name: input.name,
      description: input.description ?? '',
      flags: input.flags ?? 0,
      priority: input.priority ?? 0,
      skillgroups: input.skillgroups ?? [],
      queuegroups: input.queuegroups ?? [],
      param: input.param ?? 0,
      strparam: input.strparam ?? '',
    };
    // ON CONFLICT DO NOTHING: another node may hold (type, id) already — still a duplicate.
    const { changes } = await this.db.run(
      `INSERT INTO queue_objects (objectguid, objecttype, objectid, parentobjectid, name, description, flags, priority, skillgroups, queuegroups, param, strparam, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      [o.objectguid, o.objecttype, ...editableColumns(o), Date.now()],
    );
    if (changes === 0) throw new Error('duplicate');
    this.objects.set(o.objectguid, o);
    return o;
  }

  /** Changes the given fields (type and guid never change). Throws 'duplicate' on an objectid clash. */
  async modify(guid: string, patch: Partial<Omit<QueueObject, 'objectguid' | 'objecttype'>>): Promise<QueueObject | undefined> {
    const cur = this.get(guid);
    if (!cur) return undefined;
    const next: QueueObject = { ...cur };
    for (const [k, v] of Object.entries(patch)) if (v !== undefined) (next as unknown as Record<string, unknown>)[k] = v;
    if (next.objectid !== cur.objectid && this.byId(cur.objecttype, next.objectid)) throw new Error('duplicate');
    await this.db.run(
      `UPDATE queue_objects SET objectid = ?, parentobjectid = ?, name = ?, description = ?, flags = ?, priority = ?, skillgroups = ?, queuegroups = ?,
         param = ?, strparam = ? WHERE objectguid = ?`,
      [...editableColumns(next), next.objectguid],
    );
    this.objects.set(next.objectguid, next);
    return next;
  }

  async delete(guid: string): Promise<QueueObject | undefined> {
    const cur = this.get(guid);
    if (!cur) return undefined;
    await this.db.run('DELETE FROM queue_objects WHERE objectguid = ?', [cur.objectguid]);
    this.objects.delete(cur.objectguid);
    return cur;
  }

  userObject(userId: number): UserObject | undefined {
    return this.users.get(userId);
  }

  allUserObjects(): UserObject[] {
    return [...this.users.values()];
  }

  /** Takes effect at once (routing reads it synchronously); the row is written in the background, in order. */
  setUserObject(u: UserObject): Promise<void> {
    this.users.set(u.userId, { ...u });
    const write = this.writes.then(() =>
      this.db.run(
        `INSERT INTO queue_user_objects (user_id, flags, priority, skillgroups, queuegroups, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(user_id) DO UPDATE SET flags=excluded.flags, priority=excluded.priority, skillgroups=excluded.skillgroups,
         queuegroups=excluded.queuegroups, updated_at=excluded.updated_at`,
        [u.userId, u.flags, u.priority, JSON.stringify(u.skillgroups), JSON.stringify(u.queuegroups), Date.now()],
      ),
    );
    this.writes = write.catch(() => undefined);
    return write.then(() => undefined);
  }
}

/** The columns an object's owner may change, in the order the INSERT and the UPDATE both list them. */
function editableColumns(o: QueueObject): Array<string | number> {
  return [
    o.objectid,
    o.parentobjectid,
    o.name,
    o.description,
    o.flags,
    o.priority,
    JSON.stringify(o.skillgroups),
    JSON.stringify(o.queuegroups),
    o.param,
    o.strparam,
  ];
}
