/**
 * Issue 13's gateway items over real HTTP and a real SQLite file: replays (queries never, controls
 * once per URL + body, remembered across a restart), timestamp zones, string user ids, HTTP
 * statuses, 100709, limits, object_info_set store failures, filelist_get filters.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryPlatform } from '../memoryPlatform';
import { formatTimestamp } from '../timestamp';
import { call, nextTimestamp, signedUrl, startGateway, TEST_APP_ID, type Harness } from '../testHarness';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const sameSecond = () => formatTimestamp(Date.now(), 'local');

describe('replays (protocol.md §3)', () => {
  it('identical queries in the same second all succeed', async () => {
    h = await startGateway();
    h.platform.login(7, 'seven');
    const ts = sameSecond();
    const replies = await Promise.all(Array.from({ length: 5 }, () => call(h!.url, 'online_useridlist_get', { userflags: 0 }, { timestamp: ts })));
    for (const r of replies) expect(r.json).toMatchObject({ return_code: 'SUCCESS', useridlist: [7] });
    // Paging quickly: same method, same second, different bodies.
    expect((await call(h.url, 'filelist_get', { pageindex: 1, perpagecount: 10 }, { timestamp: ts })).json.return_code).toBe('SUCCESS');
    expect((await call(h.url, 'filelist_get', { pageindex: 2, perpagecount: 10 }, { timestamp: ts })).json.return_code).toBe('SUCCESS');
  });

  it('a control repeated with the same URL and body is carried out once; the repeat gets the first reply', async () => {
    h = await startGateway();
    h.platform.login(8, 'eight');
    const ts = sameSecond();
    const body = { userid: 8, databuf: 'QQ==' };
    const first = await call(h.url, 'transbuffer', body, { timestamp: ts });
    const again = await call(h.url, 'transbuffer', body, { timestamp: ts });
    expect(first.json).toEqual({ return_code: 'SUCCESS', return_msg: '' });
    expect(again.json).toEqual(first.json);
    expect(again.status).toBe(first.status);
    expect([first.replayed, again.replayed]).toEqual([false, true]);
    expect(h.platform.sent.filter((s) => s.kind === 'transBuffer')).toHaveLength(1);
    // Another body in the same second is another control.
    expect((await call(h.url, 'transbuffer', { userid: 8, databuf: 'Qg==' }, { timestamp: ts })).replayed).toBe(false);
    expect(h.platform.sent.filter((s) => s.kind === 'transBuffer')).toHaveLength(2);
  });

  it('concurrent repeats of one control wait for the first and share its reply', async () => {
    h = await startGateway();
    const ts = sameSecond();
    const body = { action: 1, objecttype: 4, objectid: 77, name: 'area 77' };
    const replies = await Promise.all(Array.from({ length: 4 }, () => call(h!.url, 'object_info_set', body, { timestamp: ts })));
    const guids = new Set(replies.map((r) => r.json.objectguid));
    expect(guids.size).toBe(1);
    expect(replies.every((r) => r.json.return_code === 'SUCCESS')).toBe(true);
    expect(h.gateway.queue.store.ofType(4)).toHaveLength(1);
  });

  it('a refused control is also answered the same way on retry (nothing happens twice)', async () => {
    h = await startGateway();
    const ts = sameSecond();
    const body = { userid: 404, ctrlcode: 1 };
    const a = await call(h.url, 'userinfo_ctrl', body, { timestamp: ts });
    const b = await call(h.url, 'userinfo_ctrl', body, { timestamp: ts });
    expect(a.json).toMatchObject({ return_code: 'FAIL', errorcode: 100701 });
    expect(b.json).toEqual(a.json);
    expect(b.replayed).toBe(true);
  });

  it('bad JSON is 100703 every time, repeat or not', async () => {
    h = await startGateway();
    const ts = sameSecond();
    for (let i = 0; i < 3; i++) {
      const r = await call(h.url, 'userinfo_ctrl', '{"userid":1,', { timestamp: ts });
      expect(r.json).toMatchObject({ return_code: 'FAIL', errorcode: 100703 });
      expect(r.status).toBe(400);
    }
  });

  it('a control signed before a restart is not carried out again after it', async () => {
    h = await startGateway();
    const dataDir = h.dataDir;
    const ts = sameSecond();
    const body = { action: 1, objecttype: 5, objectid: 501, name: 'queue 501' };
    const first = await call(h.url, 'object_info_set', body, { timestamp: ts });
    expect(first.json.return_code).toBe('SUCCESS');
    await h.close();
    h = await startGateway({}, { dataDir });
    const again = await call(h.url, 'object_info_set', body, { timestamp: ts });
    expect(again.json).toEqual(first.json);
    expect(again.replayed).toBe(true);
    // Had it run again it would have answered 100701 "already exists".
    expect(h.gateway.queue.store.ofType(5)).toHaveLength(1);
  });
});

describe('timestamps', () => {
  it("default to the host's local zone (the seed's backends send China time); an app may choose UTC", async () => {
    const prev = process.env.TZ;
    process.env.TZ = 'Asia/Shanghai';
    try {
      h = await startGateway({
        apps: [
          { appId: TEST_APP_ID, md5Key: 'anychat' },
          { appId: 'UTC-APP', md5Key: 'k2', timestampZone: 'utc' },
        ],
      });
      const now = Date.now();
      const china = formatTimestamp(now, 'local');
      const utc = formatTimestamp(now, 'utc');
      expect(china).not.toBe(utc);
      expect((await call(h.url, 'online_useridlist_get', { userflags: 0 }, { timestamp: china })).json.return_code).toBe('SUCCESS');
      const wrongZone = await call(h.url, 'online_useridlist_get', { userflags: 0 }, { timestamp: utc });
      expect(wrongZone.json).toMatchObject({ errorcode: 100705 });
      expect(wrongZone.json.return_msg).toContain('Asia/Shanghai');
      expect((await call(h.url, 'online_useridlist_get', { userflags: 0 }, { appId: 'UTC-APP', key: 'k2', timestamp: utc })).json.return_code).toBe('SUCCESS');
      expect(h.gateway.timestampZone).toBe('local time Asia/Shanghai (UTC+08:00)');
    } finally {
      if (prev === undefined) delete process.env.TZ;
      else process.env.TZ = prev;
    }
  });

  it('prints the zone on start', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(l) });
    h = await startGateway({}, { logger });
    expect(lines.map((l) => JSON.parse(l) as { msg: string }).find((l) => l.msg.startsWith('gateway ready'))?.msg).toMatch(
      /timestamps are read and written in local time/,
    );
  });
});

describe('string user ids', () => {
  it('are accepted instead of userid in userinfo_ctrl, transbuffer and object_status_get, and returned by userinfo_get', async () => {
    h = await startGateway();
    h.platform.login(21, 'alice', { strUserId: 'alice-001' });
    h.platform.login(22, 'bob');
    const c = (m: string, b: unknown) => call(h!.url, m, b, { timestamp: nextTimestamp() });
    expect((await c('transbuffer', { struserid: 'alice-001', databuf: 'QQ==' })).json.return_code).toBe('SUCCESS');
    expect(h.platform.sent.at(-1)).toMatchObject({ userId: 21, kind: 'transBuffer' });
    expect((await c('transbuffer', { struserid: 'bob', databuf: 'QQ==' })).json.return_code).toBe('SUCCESS');
    expect(h.platform.sent.at(-1)).toMatchObject({ userId: 22 });
    const nobody = await c('transbuffer', { struserid: 'nobody', databuf: 'QQ==' });
    expect(nobody.json).toMatchObject({ errorcode: 100701 });
    expect(nobody.json.return_msg).toContain('struserid');
    expect((await c('transbuffer', { databuf: 'QQ==' })).json.return_msg).toContain('userid or struserid');
    expect((await c('userinfo_ctrl', { struserid: 'alice-001', ctrlcode: 11, ctrlvalue: { flags: 2, priority: 1 } })).json.return_code).toBe('SUCCESS');
    const area = await c('object_info_set', { action: 1, objecttype: 4, objectid: 1, name: 'a' });
    const status = await c('object_status_get', { objectguid: area.json.objectguid, infotype: 601, struserid: 'alice-001' });
    expect(status.json).toMatchObject({ return_code: 'SUCCESS', userid: 21, struserid: 'alice-001' });
    const info = await c('userinfo_get', { useridlist: [21, 22] });
    expect(info.json.userinfolist).toMatchObject([
      { userid: 21, struserid: 'alice-001' },
      { userid: 22, struserid: 'bob' },
    ]);
    expect((await c('userinfo_ctrl', { struserid: 'alice-001', ctrlcode: 1 })).json.return_code).toBe('SUCCESS');
    expect(h.platform.user(21)).toBeUndefined();
  });
});

describe('HTTP statuses (the seed table) with the JSON body kept', () => {
  it('400 bad parameters or body, 401 app/signature/timestamp, 404 missing file, 413 too large, 200 success', async () => {
    h = await startGateway({ gateway: { maxBodyBytes: 1024 } });
    const c = (m: string, b: unknown, o: Parameters<typeof call>[3] = {}) => call(h!.url, m, b, { timestamp: nextTimestamp(), ...o });
    const cases: [Promise<{ status: number; json: Record<string, unknown> }>, number, number | null][] = [
      [c('online_useridlist_get', { userflags: 0 }), 200, null],
      [c('online_useridlist_get', {}), 400, 100701],
      [c('online_useridlist_get', 'nope'), 400, 100703],
      [c('online_useridlist_get', { userflags: 0 }, { appId: 'NOPE' }), 401, 100702],
      [c('online_useridlist_get', { userflags: 0 }, { key: 'bad' }), 401, 100704],
      [c('online_useridlist_get', { userflags: 0 }, { timestamp: '20000101000000' }), 401, 100705],
      [c('fileinfo_get', { filelist: [{ fileid: 'NOPE' }] }), 404, 100710],
      [c('online_useridlist_get', JSON.stringify({ userflags: 0, pad: 'x'.repeat(2000) })), 413, 100703],
    ];
    for (const [p, status, code] of cases) {
      const r = await p;
      expect(r.status).toBe(status);
      expect(r.json.return_code).toBe(code === null ? 'SUCCESS' : 'FAIL');
      if (code !== null) expect(r.json.errorcode).toBe(code);
    }
  });

  it('a kick that does not complete within the bound answers 100709 with 408', async () => {
    const platform = new MemoryPlatform();
    platform.login(31, 'stuck');
    // A platform whose kick never settles (e.g. a client that never acknowledges).
    platform.kick = () => new Promise<boolean>(() => undefined);
    h = await startGateway({ gateway: { operationTimeoutMs: 200 } }, { platform });
    const t0 = Date.now();
    const r = await call(h.url, 'userinfo_ctrl', { userid: 31, ctrlcode: 1 }, { timestamp: nextTimestamp() });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(r.status).toBe(408);
    expect(r.json).toMatchObject({ return_code: 'FAIL', errorcode: 100709 });
  });
});

describe('object_info_set', () => {
  it('a store failure is 100707 with a log line; 100701 only for the real conflict', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(l) });
    h = await startGateway({}, { logger });
    const c = (b: unknown) => call(h!.url, 'object_info_set', b, { timestamp: nextTimestamp() });
    expect((await c({ action: 1, objecttype: 4, objectid: 1, name: 'one' })).json.return_code).toBe('SUCCESS');
    const dup = await c({ action: 1, objecttype: 4, objectid: 1, name: 'again' });
    expect(dup.json).toMatchObject({ errorcode: 100701 });
    expect(dup.json.return_msg).toContain('already exists');
    // A real SQLite failure on insert (as a full disk or an I/O error would raise).
    h.db.exec("CREATE TRIGGER fail_insert BEFORE INSERT ON queue_objects BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");
    const broken = await c({ action: 1, objecttype: 4, objectid: 2, name: 'two' });
    expect(broken.status).toBe(500);
    expect(broken.json).toMatchObject({ return_code: 'FAIL', errorcode: 100707 });
    expect(broken.json.return_msg).not.toContain('already exists');
    expect(lines.some((l) => (JSON.parse(l) as { level: number; msg: string }).level >= 50 && l.includes('object_info_set'))).toBe(true);
    h.db.exec('DROP TRIGGER fail_insert');
    // Not kept for retry: a 5xx may succeed the second time.
    expect((await c({ action: 1, objecttype: 4, objectid: 2, name: 'two' })).json.return_code).toBe('SUCCESS');
  });

  it('refuses control characters in names with 100701', async () => {
    h = await startGateway();
    const r = await call(h.url, 'object_info_set', { action: 1, objecttype: 4, objectid: 9, name: 'a\u0000b' }, { timestamp: nextTimestamp() });
    expect(r.json).toMatchObject({ errorcode: 100701 });
    expect(r.json.return_msg).toContain('control characters');
  });
});

describe('filelist_get filters', () => {
  function addFile(p: MemoryPlatform, dir: string, id: string, userId: number, userName: string, fileName: string): void {
    const filePath = path.join(dir, `${id}.bin`);
    writeFileSync(filePath, 'x');
    p.fileMap.set(id, {
      fileId: id,
      fileName,
      filePath,
      fileLength: 1,
      fileType: 4,
      createTime: Date.now() - 1000,
      recordSeconds: 0,
      flags: 0,
      userId,
      userName,
      userIp: '',
      param: 0,
      strParam: '',
    });
  }

  it('struserid returns only that user\'s files; a control character in filename is 100701, not "match all"', async () => {
    h = await startGateway();
    h.platform.login(41, 'carol', { strUserId: 'C-41' });
    addFile(h.platform, h.dataDir, 'F1', 41, 'carol', 'a.txt');
    addFile(h.platform, h.dataDir, 'F2', 42, 'dave', 'b.txt');
    addFile(h.platform, h.dataDir, 'F3', 42, 'dave', 'c.txt');
    const c = (b: unknown) => call(h!.url, 'filelist_get', b, { timestamp: nextTimestamp() });
    const carol = await c({ pageindex: 1, perpagecount: 10, struserid: 'C-41' });
    expect(carol.json).toMatchObject({ totalcount: 1, filelist: [{ fileid: 'F1', userid: 41, struserid: 'C-41' }] });
    // An offline user's files, by the name they were kept under.
    const dave = await c({ pageindex: 1, perpagecount: 10, struserid: 'dave' });
    expect(dave.json).toMatchObject({ totalcount: 2 });
    expect((await c({ pageindex: 1, perpagecount: 10, struserid: 'nobody' })).json).toMatchObject({ return_code: 'SUCCESS', totalcount: 0 });
    const nul = await c({ pageindex: 1, perpagecount: 10, filename: '\u0000' });
    expect(nul.json).toMatchObject({ return_code: 'FAIL', errorcode: 100701 });
    expect(nul.json.return_msg).toContain('filename');
  });
});

describe('URLs', () => {
  it('a signed URL with a bad percent-escape in the query is refused, never 5xx', async () => {
    h = await startGateway();
    const res = await fetch(`${signedUrl(h.url, 'online_useridlist_get')}&x=%E0%A4%A`, { method: 'POST', body: '{"userflags":0}' });
    expect(res.status).toBeLessThan(500);
  });
});

describe('log flooding', () => {
  it('refused requests log a few lines per client and code, then one summary line', async () => {
    const lines: { msg: string; errorcode?: number; suppressed?: number; reason?: string }[] = [];
    const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l) as never) });
    h = await startGateway({}, { logger });
    for (let i = 0; i < 40; i++) await call(h.url, 'online_useridlist_get', { userflags: 0 }, { key: 'wrong', timestamp: nextTimestamp() });
    const refused = lines.filter((l) => l.msg === 'gateway request refused');
    expect(refused.length).toBe(5);
    await h.close();
    h = null;
    expect(lines.find((l) => l.msg.startsWith('suppressed'))).toMatchObject({ reason: '100704', suppressed: 35 });
  });
});
