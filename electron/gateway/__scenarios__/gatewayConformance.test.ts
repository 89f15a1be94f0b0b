/** Every gateway method over real HTTP: signatures, timestamps, apps, bodies, limits, seed examples. */
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rsaSignature } from '../signature';
import { formatTimestamp } from '../timestamp';
import { call, nextTimestamp, signedUrl, startGateway, TEST_APP_ID, type Harness } from '../testHarness';

const RSA_APP = 'RSA-APP-0001';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

let h: Harness;
const c = (method: string, body: unknown, o: Parameters<typeof call>[3] = {}) => call(h.url, method, body, { timestamp: nextTimestamp(), ...o });

beforeAll(async () => {
  h = await startGateway({
    apps: [
      { appId: TEST_APP_ID, md5Key: 'anychat', timestampWindowSeconds: 300, downloadUrlSeconds: 60 },
      { appId: RSA_APP, rsaPublicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() },
    ],
    gateway: { maxBodyBytes: 16 * 1024 },
  });
  for (const id of [100, 101, 102, 103]) h.platform.login(id, `user${id}`, { loginIp: `10.10.10.${id - 90}` });
});
afterAll(() => h.close());

describe('request envelope', () => {
  it('accepts a correct MD5 signature and answers SUCCESS with return_msg', async () => {
    const r = await c('online_useridlist_get', { userflags: 0 });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ return_code: 'SUCCESS', return_msg: '', userscount: 4, useridlist: [100, 101, 102, 103] });
  });

  it('refuses a wrong signature with 100704', async () => {
    const r = await c('online_useridlist_get', { userflags: 0 }, { key: 'wrong' });
    expect(r.status).toBe(401);
    expect(r.json).toMatchObject({ return_code: 'FAIL', errorcode: 100704 });
    expect(typeof r.json.return_msg).toBe('string');
  });

  it('refuses a stale or malformed timestamp with 100705', async () => {
    const stale = formatTimestamp(Date.now() - 301_000, 'local');
    expect((await c('online_useridlist_get', { userflags: 0 }, { timestamp: stale })).json).toMatchObject({ return_code: 'FAIL', errorcode: 100705 });
    const future = formatTimestamp(Date.now() + 301_000, 'local');
    expect((await c('online_useridlist_get', { userflags: 0 }, { timestamp: future })).json).toMatchObject({ errorcode: 100705 });
    expect((await c('online_useridlist_get', { userflags: 0 }, { timestamp: '20150231103548' })).json).toMatchObject({ errorcode: 100705 });
  });

  it('refuses an unknown app with 100702', async () => {
    expect((await c('online_useridlist_get', { userflags: 0 }, { appId: 'NOPE' })).json).toMatchObject({ return_code: 'FAIL', errorcode: 100702 });
  });

  it('refuses a body that is not a JSON object with 100703', async () => {
    for (const body of ['{not json', '', '[1,2]', '42']) {
      expect((await c('online_useridlist_get', body)).json).toMatchObject({ return_code: 'FAIL', errorcode: 100703 });
    }
  });

  it('refuses a missing or wrong-typed field with 100701 naming the field', async () => {
    const missing = await c('online_useridlist_get', {});
    expect(missing.json).toMatchObject({ errorcode: 100701 });
    expect(missing.json.return_msg).toContain('userflags');
    const wrong = await c('object_status_get', { objectguid: 'x', infotype: 'abc' });
    expect(wrong.json).toMatchObject({ errorcode: 100701 });
    expect(wrong.json.return_msg).toContain('infotype');
    const nested = await c('fileinfo_get', { filelist: [{ fileid: 5 }] });
    expect(nested.json.return_msg).toContain('filelist[0].fileid');
  });

  it('refuses missing URL parameters and unknown methods with 100701', async () => {
    const res = await fetch(`${h.url}/gateway?method=online_useridlist_get&appid=${TEST_APP_ID}`, { method: 'POST', body: '{}' });
    const json = (await res.json()) as Record<string, unknown>;
    expect(json).toMatchObject({ errorcode: 100701 });
    expect(json.return_msg).toContain('timestamp');
    expect((await c('no_such_method', {})).json).toMatchObject({ errorcode: 100701 });
    expect((await c('online_useridlist_get', { userflags: 0 }, { signtype: 'SHA1' })).json).toMatchObject({ errorcode: 100701 });
  });

  it('answers 413 to an oversized body', async () => {
    const r = await c('online_useridlist_get', JSON.stringify({ userflags: 0, pad: 'x'.repeat(17 * 1024) }));
    expect(r.status).toBe(413);
    expect(r.json).toMatchObject({ return_code: 'FAIL', errorcode: 100703 });
  });

  it('never refuses an identical query as a replay (a backend may poll twice a second)', async () => {
    const ts = formatTimestamp(Date.now() - 280_000, 'local');
    expect((await c('online_useridlist_get', { userflags: 0 }, { timestamp: ts })).json.return_code).toBe('SUCCESS');
    expect((await c('online_useridlist_get', { userflags: 0 }, { timestamp: ts })).json.return_code).toBe('SUCCESS');
    expect((await c('userinfo_get', { useridlist: [100] }, { timestamp: ts })).json.return_code).toBe('SUCCESS');
  });

  it('answers 405 to a GET', async () => {
    const res = await fetch(signedUrl(h.url, 'online_useridlist_get'));
    expect(res.status).toBe(405);
  });

  it('verifies RSA signatures (PKCS#1 v1.5 over MD5) with the app public key', async () => {
    const ts = nextTimestamp();
    const sig = rsaSignature('online_useridlist_get', RSA_APP, ts, privateKey);
    const ok = await call(h.url, 'online_useridlist_get', { userflags: 0 }, { appId: RSA_APP, timestamp: ts, signtype: 'RSA', signstr: sig });
    expect(ok.json.return_code).toBe('SUCCESS');
    const bad = await call(h.url, 'online_useridlist_get', { userflags: 0 }, { appId: RSA_APP, timestamp: nextTimestamp(), signtype: 'RSA', signstr: sig });
    expect(bad.json).toMatchObject({ errorcode: 100704 });
    const md5OnRsaApp = await call(h.url, 'online_useridlist_get', { userflags: 0 }, { appId: RSA_APP, timestamp: nextTimestamp(), key: 'anychat' });
    expect(md5OnRsaApp.json).toMatchObject({ errorcode: 100704 });
  });
});

describe('queries', () => {
  it("online_useridlist_get: the seed's example body (with its stray space) and agent filter", async () => {
    expect((await c('online_useridlist_get', '{\n\t\t" userflags":0\n}')).json).toMatchObject({ return_code: 'SUCCESS', userscount: 4 });
    await c('userinfo_ctrl', { userid: 101, ctrlcode: 11, ctrlvalue: { flags: 2, priority: 2, skillgroups: [1, 2] } });
    expect((await c('online_useridlist_get', { userflags: 2 })).json).toMatchObject({ userscount: 1, useridlist: [101] });
  });

  it("userinfo_get: the seed's example (string ids), ≤ 50 ids", async () => {
    const r = await c('userinfo_get', { userscount: 4, useridlist: ['100', '101', '102', '103'] });
    expect(r.json).toMatchObject({ return_code: 'SUCCESS', userscount: 4 });
    const list = r.json.userinfolist as Record<string, unknown>[];
    expect(list[0]).toMatchObject({ userid: 100, username: 'user100', loginip: '10.10.10.10', userlevel: 0 });
    expect(list[0]!.logintime).toMatch(/^\d{14}$/);
    const ids = Array.from({ length: 51 }, (_, i) => i + 1);
    const over = await c('userinfo_get', { userscount: 51, useridlist: ids });
    expect(over.json).toMatchObject({ errorcode: 100701 });
    expect(over.json.return_msg).toContain('useridlist');
    expect((await c('userinfo_get', { useridlist: ids.slice(0, 50) })).json.return_code).toBe('SUCCESS');
  });
});

describe('smart-queue objects', () => {
  let areaGuid = '';
  let queueGuid = '';
  it('object_info_set creates (seed example), object_info_get / idlist / list read back', async () => {
    const area = await c('object_info_set', { action: 1, objecttype: 4, objectid: 10001, name: 'GuangZhou', description: 'GuangZhou' });
    expect(area.json.return_code).toBe('SUCCESS');
    areaGuid = area.json.objectguid as string;
    const seedExample = await c('object_info_set', {
      action: 1,
      objecttype: 5,
      objectid: 1001,
      parentobjectid: 10001,
      name: 'GuangZhou',
      description: 'GuangZhou',
      priority: 5,
      skillgroups: [1, 2, 3, 4, 5],
    });
    expect(seedExample.json).toMatchObject({ return_code: 'SUCCESS', return_msg: '' });
    queueGuid = seedExample.json.objectguid as string;
    expect(queueGuid).toMatch(/^[0-9A-F-]{36}$/);
    const info = await c('object_info_get', { objectguid: queueGuid });
    expect(info.json).toMatchObject({
      objectguid: queueGuid,
      objecttype: 5,
      objectid: 1001,
      parentobjectid: 10001,
      name: 'GuangZhou',
      priority: 5,
      skillgroups: [1, 2, 3, 4, 5],
    });
    expect((await c('object_idlist_get', { objecttype: 4 })).json).toMatchObject({ objectcount: 1, objectguids: [areaGuid] });
    expect((await c('object_idlist_get', { objecttype: -1 })).json).toMatchObject({ objectcount: 2 });
    const list = await c('object_list_get', '{\n “objectguid”:”' + areaGuid + '”,\n "objecttype":5\n}');
    expect(list.json).toMatchObject({
      return_code: 'SUCCESS',
      objectcount: 1,
      objectlist: [{ objectguid: queueGuid, objecttype: 5, name: 'GuangZhou', objectid: 1001 }],
    });
    expect((await c('object_list_get', { objectguid: '00000000-0000-0000-0000-000000000000', objecttype: -1 })).json.objectcount).toBe(2);
  });

  it('object_info_set modifies and deletes; duplicates and unknown objects are 100701', async () => {
    expect((await c('object_info_set', { action: 3, objectguid: queueGuid, name: 'Q1', priority: 7 })).json.return_code).toBe('SUCCESS');
    expect((await c('object_info_get', { objectguid: queueGuid })).json).toMatchObject({ name: 'Q1', priority: 7 });
    expect((await c('object_info_set', { action: 1, objecttype: 5, objectid: 1001, name: 'dup' })).json).toMatchObject({ errorcode: 100701 });
    expect((await c('object_info_set', { action: 1, objecttype: 7, objectid: 1, name: 'x' })).json).toMatchObject({ errorcode: 100701 });
    expect((await c('object_info_set', { action: 1, objecttype: 9, name: 'no id' })).json.return_msg).toContain('objectid');
    const skill = await c('object_info_set', { action: 1, objecttype: 9, objectid: 1, name: 'cards' });
    expect((await c('object_info_set', { action: 2, objectguid: skill.json.objectguid })).json.return_code).toBe('SUCCESS');
    expect((await c('object_info_get', { objectguid: skill.json.objectguid })).json).toMatchObject({ errorcode: 100701 });
  });

  it("object_status_get: the seed's example body and every info type", async () => {
    const seed = await c('object_status_get', { objectguid: areaGuid, objecttype: 4, infotype: 401 });
    expect(seed.json).toMatchObject({ return_code: 'SUCCESS', objectguid: areaGuid, objecttype: 4, infotype: 401, infovalue: { agentcount: 0 } });
    expect((await c('object_status_get', { objectguid: areaGuid, infotype: 404 })).json.infovalue).toMatchObject({ queuecount: 1 });
    expect((await c('object_status_get', { objectguid: queueGuid, infotype: 504 })).json.infovalue).toMatchObject({ queuelength: 0 });
    expect((await c('object_status_get', { objectguid: areaGuid, infotype: 999 })).json).toMatchObject({ errorcode: 100701 });
    expect((await c('object_status_get', { objectguid: areaGuid, infotype: 601 })).json.return_msg).toContain('userid');
  });
});

describe('files', () => {
  const now = Date.now();
  beforeAll(() => {
    for (let i = 0; i < 35; i++) {
      const filePath = path.join(h.dataDir, `rec-${i}.mp4`);
      writeFileSync(filePath, Buffer.alloc(1000 + i, i));
      h.platform.fileMap.set(`F-${i}`, {
        fileId: `F-${i}`,
        fileName: i === 3 ? 'helloAnyChat01.mp4' : `rec-${i}.mp4`,
        filePath,
        fileLength: 1000 + i,
        fileType: i % 3 === 0 ? 2 : 1,
        createTime: now - i * 60_000,
        recordSeconds: 30,
        flags: 3,
        userId: i % 2 === 0 ? 100 : 101,
        userName: 'chenr',
        userIp: '120.1.2.3',
        param: 0,
        strParam: '',
      });
    }
  });

  it('filelist_get pages (≤ 30), filters by type, user and name', async () => {
    const p1 = await c('filelist_get', { pageindex: 1, perpagecount: 30 });
    expect(p1.json).toMatchObject({ return_code: 'SUCCESS', totalcount: 35, pagecount: 2, pageindex: 1, filecount: 30 });
    const p2 = await c('filelist_get', { pageindex: 2, perpagecount: 30 });
    expect(p2.json.filecount).toBe(5);
    expect((await c('filelist_get', { pageindex: 1, perpagecount: 31 })).json).toMatchObject({ errorcode: 100701 });
    const snaps = await c('filelist_get', { pageindex: 1, perpagecount: 30, filetype: 2 });
    expect(snaps.json.totalcount).toBe(12);
    expect((await c('filelist_get', { pageindex: 1, perpagecount: 30, filetype: 3 })).json.totalcount).toBe(35);
    expect((await c('filelist_get', { pageindex: 1, perpagecount: 30, userid: 101 })).json.totalcount).toBe(17);
    expect((await c('filelist_get', { pageindex: 1, perpagecount: 30, filename: 'helloAnyChat01.mp4', filenamematch: 1 })).json.totalcount).toBe(1);
    expect((await c('filelist_get', { pageindex: 1, perpagecount: 30, filename: 'rec-1', filenamematch: 0 })).json.totalcount).toBe(11);
    const f = (p1.json.filelist as Record<string, unknown>[])[0]!;
    expect(Object.keys(f)).toEqual(
      expect.arrayContaining([
        'fileid',
        'filename',
        'filelength',
        'filetype',
        'fileurl',
        'createtime',
        'recordtime',
        'flags',
        'userid',
        'username',
        'useripaddr',
      ]),
    );
  });

  it("filelist_get: the seed's example (2015, nothing there) and a > 3 month span is truncated", async () => {
    const seed = await c('filelist_get', { pageindex: 1, perpagecount: 30, begintime: '20150503103548', endtime: '20150505103548', filetype: 1 });
    expect(seed.json).toMatchObject({ return_code: 'SUCCESS', totalcount: 0, filecount: 0, filelist: [] });
    const begin = formatTimestamp(now - 200 * 86_400_000, 'local');
    const end = formatTimestamp(now + 86_400_000, 'local');
    // begin + 3 months ends ~110 days before now: nothing in range.
    expect((await c('filelist_get', { pageindex: 1, perpagecount: 30, begintime: begin, endtime: end })).json.totalcount).toBe(0);
    const begin2 = formatTimestamp(now - 60 * 86_400_000, 'local');
    expect((await c('filelist_get', { pageindex: 1, perpagecount: 30, begintime: begin2, endtime: end })).json.totalcount).toBe(35);
  });

  it('fileinfo_get: ≤ 20 ids, unknown file 100710, URLs that serve Range and expire', async () => {
    const ids = Array.from({ length: 21 }, (_, i) => ({ fileid: `F-${i}` }));
    expect((await c('fileinfo_get', { filelist: ids })).json).toMatchObject({ errorcode: 100701 });
    expect((await c('fileinfo_get', { filelist: [{ fileid: 'NOPE' }] })).json).toMatchObject({ return_code: 'FAIL', errorcode: 100710 });
    const r = await c('fileinfo_get', { activeseconds: 3600, filelist: [{ fileid: 'F-1' }, { fileid: 'F-2' }] });
    expect(r.json).toMatchObject({ return_code: 'SUCCESS', filecount: 2 });
    const url = (r.json.filelist as { fileurl: string }[])[0]!.fileurl;
    const full = await fetch(url);
    expect(full.status).toBe(200);
    expect(full.headers.get('content-type')).toBe('video/mp4');
    expect(full.headers.get('accept-ranges')).toBe('bytes');
    expect((await full.arrayBuffer()).byteLength).toBe(1001);
    const part = await fetch(url, { headers: { Range: 'bytes=10-19' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 10-19/1001');
    expect(Buffer.from(await part.arrayBuffer())).toEqual(Buffer.alloc(10, 1));
    const tail = await fetch(url, { headers: { Range: 'bytes=-5' } });
    expect(tail.headers.get('content-range')).toBe('bytes 996-1000/1001');
    await tail.arrayBuffer();
    expect((await fetch(url, { headers: { Range: 'bytes=5000-' } })).status).toBe(416);
    const forged = url.replace(/sign=[^&]+/, 'sign=AAAA');
    expect((await fetch(forged)).status).toBe(403);
    // Expiry: a 1-second URL stops working.
    const short = await c('fileinfo_get', { activeseconds: 1, filelist: [{ fileid: 'F-1' }] });
    const shortUrl = (short.json.filelist as { fileurl: string }[])[0]!.fileurl;
    expect(new URL(shortUrl).searchParams.get('expires')).toBe(String(Math.floor(Date.now() / 1000) + 1));
    await new Promise((r2) => setTimeout(r2, 2100));
    const expired = await fetch(shortUrl);
    expect(expired.status).toBe(403);
    expect(((await expired.json()) as { errorcode: number }).errorcode).toBe(100705);
    // App default lifetime (60 s here) when activeseconds is omitted.
    const dflt = await c('fileinfo_get', { filelist: [{ fileid: 'F-1' }] });
    const exp = Number(new URL((dflt.json.filelist as { fileurl: string }[])[0]!.fileurl).searchParams.get('expires'));
    expect(exp - Math.floor(Date.now() / 1000)).toBeGreaterThanOrEqual(59);
    expect(exp - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(60);
  });

  it("fileinfo_ctrl: the seed's rename example, delete is for good, ≤ 30 ids", async () => {
    const ids = Array.from({ length: 31 }, (_, i) => ({ fileid: `F-${i}` }));
    expect((await c('fileinfo_ctrl', { ctrltype: 1, filelist: ids })).json).toMatchObject({ errorcode: 100701 });
    const rename = await c('fileinfo_ctrl', {
      ctrltype: 2,
      filelist: [
        { fileid: 'F-5', renamefile: 'helloAnyChat2016.mp4' },
        { fileid: 'NOPE', renamefile: 'x.mp4' },
      ],
    });
    expect(rename.json).toMatchObject({
      return_code: 'SUCCESS',
      filecount: 2,
      filelist: [
        { fileid: 'F-5', errorcode: 0 },
        { fileid: 'NOPE', errorcode: 100710 },
      ],
    });
    expect(((await c('fileinfo_get', { filelist: [{ fileid: 'F-5' }] })).json.filelist as { filename: string }[])[0]!.filename).toBe('helloAnyChat2016.mp4');
    const filePath = h.platform.fileMap.get('F-6')!.filePath;
    const del = await c('fileinfo_ctrl', { ctrltype: 1, filelist: [{ fileid: 'F-6' }] });
    expect(del.json).toMatchObject({ return_code: 'SUCCESS', filelist: [{ fileid: 'F-6', errorcode: 0 }] });
    expect(existsSync(filePath)).toBe(false);
    expect((await c('fileinfo_get', { filelist: [{ fileid: 'F-6' }] })).json).toMatchObject({ errorcode: 100710 });
    expect((await c('fileinfo_ctrl', { ctrltype: 1, filelist: [{ fileid: 'F-6' }] })).json).toMatchObject({ return_code: 'FAIL', errorcode: 100710 });
  });
});

describe('controls', () => {
  it("userinfo_ctrl: the seed's set-user-object example, kick, bad codes", async () => {
    h.platform.login(-3, 'trew');
    const seed = await c('userinfo_ctrl', { userid: -3, ctrlcode: 11, ctrlvalue: { flags: 2, priority: 2, skillgroups: [1, 2] } });
    expect(seed.json).toEqual({ return_code: 'SUCCESS', return_msg: '' });
    expect(h.gateway.queue.userObject(-3)).toMatchObject({ flags: 2, priority: 2, skillgroups: [1, 2] });
    expect((await c('userinfo_ctrl', { userid: -3, ctrlcode: 11, ctrlvalue: '{"flags":0,"priority":1}' })).json.return_code).toBe('SUCCESS');
    expect((await c('userinfo_ctrl', { userid: -3, ctrlcode: 11, ctrlvalue: { priority: 1 } })).json.return_msg).toContain('ctrlvalue.flags');
    expect((await c('userinfo_ctrl', { userid: -3, ctrlcode: 7 })).json).toMatchObject({ errorcode: 100701 });
    expect((await c('userinfo_ctrl', { userid: -3, ctrlcode: 1, ctrlvalue: '' })).json.return_code).toBe('SUCCESS');
    expect(h.platform.sent).toContainEqual({ userId: -3, kind: 'kicked', data: { errorCode: 211 } });
    expect(h.platform.user(-3)).toBeUndefined();
    expect((await c('userinfo_ctrl', { userid: -3, ctrlcode: 1 })).json).toMatchObject({ errorcode: 100701 });
  });

  it("transbuffer: the seed's example, ≤ 8192 bytes, base64 only, online target", async () => {
    h.platform.login(4, 'four');
    expect((await c('transbuffer', { userid: 4, databuf: 'Z29vZCBnaXJsIQ==' })).json).toEqual({ return_code: 'SUCCESS', return_msg: '' });
    expect(h.platform.sent.at(-1)).toEqual({ userId: 4, kind: 'transBuffer', data: Buffer.from('good girl!') });
    // The seed's 8192 is the base64 text's length: 6144 bytes of data fill it exactly.
    expect((await c('transbuffer', { userid: 4, databuf: Buffer.alloc(6144, 7).toString('base64') })).json.return_code).toBe('SUCCESS');
    const over = await c('transbuffer', { userid: 4, databuf: Buffer.alloc(6147, 7).toString('base64') });
    expect(over.json).toMatchObject({ errorcode: 100701 });
    expect(over.json.return_msg).toContain('databuf');
    expect((await c('transbuffer', { userid: 4, databuf: 'not base64!' })).json).toMatchObject({ errorcode: 100701 });
    expect((await c('transbuffer', { userid: 999, databuf: 'QQ==' })).json).toMatchObject({ errorcode: 100701 });
    expect((await c('transbuffer', { databuf: 'QQ==' })).json.return_msg).toContain('userid');
  });

  it('counts requests for the console', () => {
    const s = h.gateway.requestStats();
    expect(s.total).toBeGreaterThan(50);
    expect(s.byErrorCode['100704']).toBeGreaterThan(0);
    expect(s.byMethod.transbuffer!.success).toBeGreaterThan(0);
  });
});
