import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { describeEachStore } from '../store/testing/storeMatrix';
import type { PlatformFile } from './platformPort';
import { SqlFileIndex, fileIndexMigrations, fileIndexPgMigrations } from './sdkFileIndex';

const file = (over: Partial<PlatformFile>): Omit<PlatformFile, 'fileId'> => ({
  fileType: 1,
  fileName: 'a.webm',
  filePath: '/nowhere/a.webm',
  fileLength: 10,
  createTime: 1000,
  recordSeconds: 1,
  flags: 0,
  userId: 1,
  userName: 'alice',
  userIp: '127.0.0.1',
  param: 0,
  strParam: '',
  ...over,
});

const all = { fromMs: 0, toMs: 10_000, typeMask: 7, exactName: false, offset: 0, limit: 10 };

describeEachStore('SqlFileIndex', { sqlite: fileIndexMigrations, postgres: fileIndexPgMigrations }, (store) => {
  it('indexes at once (the id is known before the row is written), queries newest first with filters and pages', async () => {
    const index = new SqlFileIndex(store().db);
    const a = index.add(file({ fileName: 'case_1.webm', createTime: 1000 }));
    index.add(file({ fileName: 'case_2.webm', createTime: 2000, userId: 2, userName: 'bob' }));
    index.add(file({ fileName: '100%_face.jpg', fileType: 2, createTime: 3000 }));
    expect(a.fileId).toMatch(/^[0-9A-F-]{36}$/);
    expect(await index.get(a.fileId)).toEqual(a);
    const newest = await index.query(all);
    expect(newest.total).toBe(3);
    expect(newest.files.map((f) => f.fileName)).toEqual(['100%_face.jpg', 'case_2.webm', 'case_1.webm']);
    expect((await index.query({ ...all, typeMask: 1 })).files.map((f) => f.fileName)).toEqual(['case_2.webm', 'case_1.webm']);
    expect((await index.query({ ...all, userId: 2 })).files.map((f) => f.fileName)).toEqual(['case_2.webm']);
    expect((await index.query({ ...all, userName: 'alice' })).total).toBe(2);
    // LIKE wildcards in the name are literal; an exact name matches only itself.
    expect((await index.query({ ...all, fileName: '100%' })).files.map((f) => f.fileName)).toEqual(['100%_face.jpg']);
    expect((await index.query({ ...all, fileName: '%' })).total).toBe(1);
    expect((await index.query({ ...all, fileName: 'case', exactName: true })).total).toBe(0);
    expect((await index.query({ ...all, fromMs: 1500, toMs: 2500 })).total).toBe(1);
    const page2 = await index.query({ ...all, offset: 2, limit: 2 });
    expect([page2.total, page2.files.map((f) => f.fileName)]).toEqual([3, ['case_1.webm']]);
  });

  it('renames and deletes (the file on disk too); another connection sees the index', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'files-'));
    const onDisk = path.join(dir, 'x.webm');
    writeFileSync(onDisk, 'x');
    const index = new SqlFileIndex(store().db);
    const f = index.add(file({ filePath: onDisk }));
    expect(await index.rename(f.fileId, 'renamed.webm')).toBe(true);
    expect(await index.rename('nope', 'x')).toBe(false);
    const other = new SqlFileIndex(await store().reopen());
    expect((await other.get(f.fileId))?.fileName).toBe('renamed.webm');
    expect(await other.delete(f.fileId)).toBe(true);
    expect(existsSync(onDisk)).toBe(false);
    expect(await other.delete(f.fileId)).toBe(false);
  });

  it('in a cluster a file keeps its node; deleting through another node has that node delete it, or drops only the entry when it does not answer', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'files-'));
    const [first, second] = [path.join(dir, '1.webm'), path.join(dir, '2.webm')];
    for (const p of [first, second]) writeFileSync(p, 'x');
    const a = new SqlFileIndex(store().db, { nodeId: 'a' });
    const b = new SqlFileIndex(store().db, { nodeId: 'b', deleteOnNode: async (node, fileId) => node === 'a' && a.delete(fileId) });
    const f = a.add(file({ filePath: first }));
    expect(f.node).toBe('a');
    expect((await a.get(f.fileId))?.node).toBe('a'); // written
    expect((await b.get(f.fileId))?.node).toBe('a');
    expect(await b.delete(f.fileId)).toBe(true);
    expect(existsSync(first)).toBe(false);
    expect(await a.get(f.fileId)).toBeUndefined();
    // a is down: the entry goes, a's disk is out of reach
    const g = a.add(file({ filePath: second }));
    await a.get(g.fileId);
    const c = new SqlFileIndex(store().db, { nodeId: 'c', deleteOnNode: () => Promise.resolve(false) });
    expect(await c.delete(g.fileId)).toBe(true);
    expect(await a.get(g.fileId)).toBeUndefined();
    expect(existsSync(second)).toBe(true);
    // a single host's files carry no node
    expect(new SqlFileIndex(store().db).add(file({})).node).toBeUndefined();
  });
});
