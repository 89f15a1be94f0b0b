/**
 * Persistent smart-queue objects: service areas, queues, skills and queue groups (object_info_set),
 * and user objects (userinfo_ctrl 11 / the client agent method: flags, priority, skills, queue groups).
 */
import { randomUUID } from 'node:crypto';
import type { Db, Migration } from '../store/Database';

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

  constructor(private readonly db: Db) {
    for (const r of db.prepare('SELECT * FROM queue_objects ORDER BY objecttype, objectid').all() as unknown as (ObjectRow & { created_at: number })[]) {
      const { created_at: _c, ...row } = r;
      this.objects.set(row.objectguid, toObject(row));
    }
    for (const r of db.prepare('SELECT * FROM queue_user_objects').all() as {
      user_id: number;
      flags: number;
      priority: number;
      skillgroups: string;
      queuegroups: string;
    }[]) {
      this.users.set(r.user_id, {
        userId: r.user_id,
        flags: r.flags,
        priority: r.priority,
        skillgroups: JSON.parse(r.skillgroups) as number[],
        queuegroups: JSON.parse(r.queuegroups) as number[],
      });
    }
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
  create(input: NewQueueObject): QueueObject {
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
    this.db
      .prepare(
        `INSERT INTO queue_objects (objectguid, objecttype, objectid, parentobjectid, name, description, flags, priority, skillgroups, queuegroups, param, strparam, created_at)
         VALUES (@objectguid, @objecttype, @objectid, @parentobjectid, @name, @description, @flags, @priority, @skillgroups, @queuegroups, @param, @strparam, @created_at)`,
      )
      .run({ ...o, skillgroups: JSON.stringify(o.skillgroups), queuegroups: JSON.stringify(o.queuegroups), created_at: Date.now() });
    this.objects.set(o.objectguid, o);
    return o;
  }

  /** Changes the given fields (type and guid never change). Throws 'duplicate' on an objectid clash. */
  modify(guid: string, patch: Partial<Omit<QueueObject, 'objectguid' | 'objecttype'>>): QueueObject | undefined {
    const cur = this.get(guid);
    if (!cur) return undefined;
    const next: QueueObject = { ...cur };
    for (const [k, v] of Object.entries(patch)) if (v !== undefined) (next as unknown as Record<string, unknown>)[k] = v;
    if (next.objectid !== cur.objectid && this.byId(cur.objecttype, next.objectid)) throw new Error('duplicate');
    // node:sqlite refuses named parameters the statement does not use; the type never changes.
    const { objecttype: _type, ...updatable } = next;
    this.db
      .prepare(
        `UPDATE queue_objects SET objectid=@objectid, parentobjectid=@parentobjectid, name=@name, description=@description, flags=@flags,
         priority=@priority, skillgroups=@skillgroups, queuegroups=@queuegroups, param=@param, strparam=@strparam WHERE objectguid=@objectguid`,
      )
      .run({ ...updatable, skillgroups: JSON.stringify(next.skillgroups), queuegroups: JSON.stringify(next.queuegroups) });
    this.objects.set(next.objectguid, next);
    return next;
  }

  delete(guid: string): QueueObject | undefined {
    const cur = this.get(guid);
    if (!cur) return undefined;
    this.db.prepare('DELETE FROM queue_objects WHERE objectguid = ?').run(cur.objectguid);
    this.objects.delete(cur.objectguid);
    return cur;
  }

  userObject(userId: number): UserObject | undefined {
    return this.users.get(userId);
  }

  allUserObjects(): UserObject[] {
    return [...this.users.values()];
  }

  setUserObject(u: UserObject): void {
    this.db
      .prepare(
        `INSERT INTO queue_user_objects (user_id, flags, priority, skillgroups, queuegroups, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(user_id) DO UPDATE SET flags=excluded.flags, priority=excluded.priority, skillgroups=excluded.skillgroups,
         queuegroups=excluded.queuegroups, updated_at=excluded.updated_at`,
      )
      .run(u.userId, u.flags, u.priority, JSON.stringify(u.skillgroups), JSON.stringify(u.queuegroups), Date.now());
    this.users.set(u.userId, { ...u });
  }
}
