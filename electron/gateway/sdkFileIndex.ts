/**
 * A persistent index of recordings, snapshots and received files, fed by the SDK's
 * `recordingFinished` and `fileReceived` events — the FileIndex the gateway's file methods use
 * until the media component publishes its own recordings index (swap it in through
 * SdkPlatform's `files` option).
 */
import { randomUUID } from 'node:crypto';
import { unlink } from 'node:fs/promises';
import type { Migration } from '../store/Database';
import type { PgMigration } from '../store/sql/postgresMigrations';
import type { SqlClient, SqlValue } from '../store/sql/SqlClient';
import type { FileIndex, FileQuery, PlatformFile, PlatformFileType } from './platformPort';

export const fileIndexMigrations: Migration[] = [
  {
    id: 'gateway:002_files',
    up(db) {
      db.exec(`CREATE TABLE gateway_files (
        file_id TEXT PRIMARY KEY,
        file_type INTEGER NOT NULL,
        file_name TEXT NOT NULL,
        file_path TEXT NOT NULL,
        file_length INTEGER NOT NULL,
        create_time INTEGER NOT NULL,
        record_seconds INTEGER NOT NULL DEFAULT 0,
        flags INTEGER NOT NULL DEFAULT 0,
        user_id INTEGER NOT NULL,
        user_name TEXT NOT NULL DEFAULT '',
        user_ip TEXT NOT NULL DEFAULT '',
        param INTEGER NOT NULL DEFAULT 0,
        str_param TEXT NOT NULL DEFAULT ''
      );
      CREATE INDEX gateway_files_time ON gateway_files (create_time);`);
    },
  },
  {
    id: 'gateway:006_files_node',
    up(db) {
      db.exec(`ALTER TABLE gateway_files ADD COLUMN node_id TEXT NOT NULL DEFAULT ''`);
    },
  },
];

export const fileIndexPgMigrations: PgMigration[] = [
  {
    id: 'gateway:002_files',
    sql: `CREATE TABLE gateway_files (
        file_id TEXT PRIMARY KEY,
        file_type INTEGER NOT NULL,
        file_name TEXT NOT NULL,
        file_path TEXT NOT NULL,
        file_length BIGINT NOT NULL,
        create_time BIGINT NOT NULL,
        record_seconds INTEGER NOT NULL DEFAULT 0,
        flags BIGINT NOT NULL DEFAULT 0,
        user_id BIGINT NOT NULL,
        user_name TEXT NOT NULL DEFAULT '',
        user_ip TEXT NOT NULL DEFAULT '',
        param BIGINT NOT NULL DEFAULT 0,
        str_param TEXT NOT NULL DEFAULT ''
      );
      CREATE INDEX gateway_files_time ON gateway_files (create_time);`,
  },
  // The cluster node whose disk holds the bytes ('' on a single host).
  { id: 'gateway:006_files_node', sql: `ALTER TABLE gateway_files ADD COLUMN node_id TEXT NOT NULL DEFAULT ''` },
];

interface Row {
  file_id: string;
  file_type: number;
  file_name: string;
  file_path: string;
  file_length: number;
  create_time: number;
  record_seconds: number;
  flags: number;
  user_id: number;
  user_name: string;
  user_ip: string;
  param: number;
  str_param: string;
  node_id: string;
}

const toFile = (r: Row): PlatformFile => ({
  fileId: r.file_id,
  fileType: r.file_type as PlatformFileType,
  fileName: r.file_name,
  filePath: r.file_path,
  fileLength: r.file_length,
  createTime: r.create_time,
  recordSeconds: r.record_seconds,
  flags: r.flags,
  userId: r.user_id,
  userName: r.user_name,
  userIp: r.user_ip,
  param: r.param,
  strParam: r.str_param,
  ...(r.node_id ? { node: r.node_id } : {}),
});

export interface SqlFileIndexOptions {
  /** An index write failed (the file is not listed). */
  onWriteError?: (err: unknown) => void;
  /** In a cluster: this node, recorded with the files it indexes (their bytes are on its disk). */
  nodeId?: string;
  /** In a cluster: has the node that holds a file's bytes delete it (entry and bytes); false when that node does not answer. */
  deleteOnNode?: (node: string, fileId: string) => Promise<boolean>;
}

/** The file index in the shared store (a file recorded on one node is listed on every node). */
export class SqlFileIndex implements FileIndex {
  /** Index writes, one after another; reads wait for them (a file announced is a file listed). */
  private writes: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: SqlClient,
    private readonly opts: SqlFileIndexOptions = {},
  ) {}

  /** Indexes a file; its id is known at once, the row is written in the background. */
  add(f: Omit<PlatformFile, 'fileId'> & { fileId?: string }): PlatformFile {
    const node = f.node ?? this.opts.nodeId;
    const file: PlatformFile = { ...f, fileId: f.fileId ?? randomUUID().toUpperCase(), ...(node ? { node } : {}) };
    this.writes = this.writes
      .then(() =>
        this.db.run(
          `INSERT INTO gateway_files (file_id, file_type, file_name, file_path, file_length, create_time, record_seconds, flags, user_id, user_name, user_ip, param, str_param, node_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            file.fileId,
            file.fileType,
            file.fileName,
            file.filePath,
            file.fileLength,
            file.createTime,
            file.recordSeconds,
            file.flags,
            file.userId,
            file.userName,
            file.userIp,
            file.param,
            file.strParam,
            file.node ?? '',
          ],
        ),
      )
      .catch(this.opts.onWriteError ?? (() => undefined));
    return file;
  }

  async query(q: FileQuery): Promise<{ total: number; files: PlatformFile[] }> {
    await this.writes;
    const where = ['create_time >= ?', 'create_time <= ?', '(file_type & ?) != 0'];
    const args: SqlValue[] = [q.fromMs, q.toMs, q.typeMask];
    if (q.userId !== undefined) {
      where.push('user_id = ?');
      args.push(q.userId);
    }
    if (q.userName !== undefined) {
      where.push('user_name = ?');
      args.push(q.userName);
    }
    if (q.fileName !== undefined) {
      if (q.exactName) {
        where.push('file_name = ?');
        args.push(q.fileName);
      } else {
        where.push("file_name LIKE ? ESCAPE '\\'");
        args.push(`%${q.fileName.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      }
    }
    const w = where.join(' AND ');
    const total = Number((await this.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM gateway_files WHERE ${w}`, args))!.n);
    const rows = await this.db.all<Row>(`SELECT * FROM gateway_files WHERE ${w} ORDER BY create_time DESC, file_id LIMIT ? OFFSET ?`, [
      ...args,
      q.limit,
      q.offset,
    ]);
    return { total, files: rows.map(toFile) };
  }

  async get(fileId: string): Promise<PlatformFile | undefined> {
    await this.writes;
    const r = await this.db.get<Row>('SELECT * FROM gateway_files WHERE file_id = ?', [fileId]);
    return r ? toFile(r) : undefined;
  }

  async delete(fileId: string): Promise<boolean> {
    const f = await this.get(fileId);
    if (!f) return false;
    const { nodeId, deleteOnNode } = this.opts;
    const elsewhere = f.node !== undefined && f.node !== nodeId;
    // The bytes are on the disk of the node that indexed the file: that node deletes it. One
    // that does not answer (down) loses the entry here; its bytes stay on its disk.
    if (elsewhere && deleteOnNode && (await deleteOnNode(f.node!, fileId))) return true;
    await this.db.run('DELETE FROM gateway_files WHERE file_id = ?', [fileId]);
    if (!elsewhere) await unlink(f.filePath).catch(() => undefined);
    return true;
  }

  async rename(fileId: string, newName: string): Promise<boolean> {
    await this.writes;
    return (await this.db.run('UPDATE gateway_files SET file_name = ? WHERE file_id = ?', [newName, fileId])).changes > 0;
  }
}
