/** Webhook notices over real HTTP: all eight, signatures, retries, order, dead letters, re-send. */
import { afterEach, describe, expect, it } from 'vitest';
import { QueueClientMethods } from '../../queueing/SmartQueue';
import { startGateway, TEST_APP_ID, type Harness } from '../testHarness';
import { WebhookReceiver } from '../webhookReceiver';
import { verifyRsa, loadPublicKey } from '../signature';

let h: Harness | null = null;
let rx: WebhookReceiver | null = null;
afterEach(async () => {
  await h?.close();
  await rx?.close();
  h = null;
  rx = null;
});

const until = async (cond: () => boolean | Promise<boolean>, ms = 5000) => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('webhook notices', () => {
  it('each platform event produces its signed notice with the seed fields and a unique notifyid', async () => {
    rx = await WebhookReceiver.start({ md5Key: 'anychat' });
    h = await startGateway({ apps: [{ appId: TEST_APP_ID, md5Key: 'anychat', callbackUrl: rx.url }] });
    const p = h.platform;
    p.login(-3, 'trew', { strParam: 'sdk' });
    p.emit({ type: 'textMessage', roomId: 2, srcUserId: -3, srcUserName: 'trew', tarUserId: -1, tarUserName: '', secret: false, text: 'hello 世界' });
    p.login(-6, 'rtyui');
    await p.startVideoCall(-3, -6, 'wertyu');
    p.emit({
      type: 'recording',
      recordId: 'R-1',
      filePath: '/rec/a.mp4',
      recordSeconds: 32,
      flags: 2055,
      userId: -3,
      userName: 'trew',
      errorCode: 0,
      param: 0,
      strParam: 'sdk',
    });
    p.emit({ type: 'fileReceived', userId: -3, userName: 'trew', fileId: 'F-1', fileName: 'a.xlsx', pathName: '/tmp/a.xlsx', fileSize: 8497, strParam: '' });
    p.emit({ type: 'transBuffer', userId: -3, userName: 'trew', data: Buffer.from('hi server') });
    await p.callClientMethod(-6, QueueClientMethods.AGENT_STATUS, { status: 1 });
    p.logout(-3, 101);
    // login×2, text, call 1/2/3, record, file, buffer, agentstatus, logout
    await rx.waitForDelivered(11);
    const got = rx.delivered;
    expect(got.every((n) => n.signatureValid)).toBe(true);
    expect(new Set(got.map((n) => n.body.notifyid)).size).toBe(got.length);
    for (const n of got) {
      expect(n.path).toBe(`/notify/${n.method}`);
      expect(n.query).toMatchObject({ method: n.method, appid: TEST_APP_ID, signtype: 'MD5' });
      expect(n.query.timestamp).toMatch(/^\d{14}$/);
    }
    const by = (m: string) => got.filter((n) => n.method === m).map((n) => n.body);
    expect(by('userlogin_notify')[0]).toMatchObject({
      appguid: TEST_APP_ID,
      userid: -3,
      username: 'trew',
      userlevel: 0,
      loginipaddr: '127.0.0.1',
      strparam: 'sdk',
      userflags: 0,
    });
    expect(by('userlogin_notify')[0]!.logintime).toMatch(/^\d{14}$/);
    expect(by('textmsg_notify')[0]).toMatchObject({
      roomid: 2,
      srcuserid: -3,
      srcusername: 'trew',
      taruserid: -1,
      secret: 0,
      textmsg: 'hello 世界',
      msglen: 12,
    });
    expect(by('videocall_notify').map((b) => b.eventtype)).toEqual([1, 2, 3]);
    expect(by('videocall_notify')[0]).toMatchObject({
      srcuserid: -3,
      srcusername: 'trew',
      taruserid: -6,
      tarusername: 'rtyui',
      errorcode: 0,
      flags: 0,
      strparam: 'wertyu',
    });
    expect(by('recordsnapshot_notify')[0]).toMatchObject({
      recordid: 'R-1',
      recordfilename: '/rec/a.mp4',
      recordtime: 32,
      flags: 2055,
      userid: -3,
      username: 'trew',
      errorcode: 0,
      strparam: 'sdk',
    });
    expect(by('transfile_notify')[0]).toMatchObject({ fileid: 'F-1', filename: 'a.xlsx', pathname: '/tmp/a.xlsx', filesize: 8497, userid: -3 });
    expect(by('transbuffer_notify')[0]).toMatchObject({ userid: -3, username: 'trew', databuf: Buffer.from('hi server').toString('base64'), datasize: 12 });
    expect(by('agentstatus_notify')[0]).toMatchObject({ userid: -6, username: 'rtyui', agentstatus: 1 });
    expect(by('userlogout_notify')[0]).toMatchObject({ userid: -3, username: 'trew', errorcode: 101 });
    expect(by('userlogout_notify')[0]!.logouttime).toMatch(/^\d{14}$/);
  });

  it('RSA notices are signed with the server key the console shows', async () => {
    h = await startGateway({ apps: [{ appId: TEST_APP_ID, md5Key: null, callbackUrl: 'http://127.0.0.1:1/x' }] });
    const pem = h.gateway.serverPublicKeyPem;
    await h.close();
    rx = await WebhookReceiver.start({ rsaPublicKeyPem: pem });
    h = await startGateway({ apps: [{ appId: TEST_APP_ID, md5Key: 'k', notifySignType: 'RSA', callbackUrl: rx.url }] }, { dataDir: h.dataDir });
    expect(h.gateway.serverPublicKeyPem).toBe(pem);
    h.platform.login(1, 'a');
    await rx.waitForDelivered(1);
    const n = rx.delivered[0]!;
    expect(n.query.signtype).toBe('RSA');
    expect(verifyRsa(n.method, TEST_APP_ID, n.query.timestamp!, loadPublicKey(pem), n.query.signstr!)).toBe(true);
    expect(h.gateway.appsInfo()[0]).toMatchObject({ appId: TEST_APP_ID, notifySignType: 'RSA', md5Key: { set: true } });
  });

  it('500, 500, then 200: retried with backoff, delivered once more, order kept', async () => {
    rx = await WebhookReceiver.start({ md5Key: 'anychat' });
    rx.script = [500, 500];
    h = await startGateway({
      apps: [{ appId: TEST_APP_ID, md5Key: 'anychat', callbackUrl: rx.url, retry: { initialDelayMs: 50, maxDelayMs: 200, maxAttempts: 5 } }],
    });
    h.platform.login(1, 'first');
    h.platform.login(2, 'second');
    await rx.waitForDelivered(2);
    expect(rx.received.map((r) => [r.body.userid, r.answered])).toEqual([
      [1, 500],
      [1, 500],
      [1, 200],
      [2, 200],
    ]);
    const ids = rx.received.slice(0, 3).map((r) => r.body.notifyid);
    expect(new Set(ids).size).toBe(1);
    await until(async () => (await h!.gateway.outboxDepth())[0]!.pending === 0);
    const log = await h.gateway.deliveryLog({ notifyId: ids[0] as string });
    expect(log.map((l) => [l.attempt, l.outcome, l.httpStatus])).toEqual([
      [3, 'delivered', 200],
      [2, 'retry', 500],
      [1, 'retry', 500],
    ]);
    await until(async () => (await h!.gateway.outboxDepth())[0]!.pending === 0);
    expect(await h.gateway.outboxDepth()).toEqual([{ appId: TEST_APP_ID, pending: 0, dead: 0, oldestPendingMs: 0 }]);
  });

  it('a slow or down receiver only grows the outbox; dead notices are kept and re-sent from the console', async () => {
    rx = await WebhookReceiver.start({ md5Key: 'anychat' });
    rx.defaultStatus = 503;
    h = await startGateway({
      apps: [{ appId: TEST_APP_ID, md5Key: 'anychat', callbackUrl: rx.url, retry: { initialDelayMs: 20, maxDelayMs: 40, maxAttempts: 3 } }],
    });
    for (let i = 1; i <= 5; i++) h.platform.login(i, `u${i}`);
    expect((await h.gateway.outboxDepth())[0]).toMatchObject({ pending: 5, dead: 0 });
    await until(async () => (await h!.gateway.outboxDepth())[0]!.dead === 5, 10_000);
    expect((await h.gateway.outboxEntries({ state: 'dead' })).map((e) => [e.body.userid, e.attempts, e.lastStatus])).toEqual(
      [1, 2, 3, 4, 5].map((id) => [id, 3, 503]),
    );
    rx.defaultStatus = 200;
    expect(await h.gateway.resendDead({ appId: TEST_APP_ID })).toBe(5);
    await rx.waitForDelivered(5);
    expect(rx.delivered.map((r) => r.body.userid)).toEqual([1, 2, 3, 4, 5]);
    await until(async () => (await h!.gateway.outboxDepth())[0]!.pending === 0);
    expect((await h.gateway.outboxDepth())[0]).toMatchObject({ pending: 0, dead: 0 });
  });

  it('a receiver that never answers times out and is retried', async () => {
    rx = await WebhookReceiver.start({ md5Key: 'anychat' });
    rx.delayMs = 400;
    h = await startGateway({
      apps: [{ appId: TEST_APP_ID, md5Key: 'anychat', callbackUrl: rx.url, retry: { initialDelayMs: 20, maxDelayMs: 40, maxAttempts: 10 } }],
      gateway: { notifyTimeoutMs: 150 },
    });
    h.platform.login(1, 'slow');
    await until(async () => (await h!.gateway.deliveryLog()).some((l) => l.outcome === 'retry' && /no response/.test(l.error ?? '')));
    rx.delayMs = 0;
    await rx.waitForDelivered(1);
    await until(async () => (await h!.gateway.outboxDepth())[0]!.pending === 0);
  });

  it("one app's dead receiver does not hold up another app's notices", async () => {
    rx = await WebhookReceiver.start({ md5Key: 'k2' });
    h = await startGateway({
      apps: [
        { appId: 'DOWN', md5Key: 'k1', callbackUrl: 'http://127.0.0.1:1/notify', retry: { initialDelayMs: 1000, maxDelayMs: 1000, maxAttempts: 100 } },
        { appId: 'UP', md5Key: 'k2', callbackUrl: rx.url, notifyMethods: ['userlogin_notify'] },
      ],
    });
    for (let i = 1; i <= 3; i++) h.platform.login(i, `u${i}`);
    h.platform.logout(1);
    await rx.waitForDelivered(3);
    expect(rx.delivered.map((n) => [n.query.appid, n.method, n.body.userid, n.body.appguid])).toEqual(
      [1, 2, 3].map((id) => ['UP', 'userlogin_notify', id, 'UP']),
    );
    await until(async () => (await h!.gateway.outboxDepth()).find((d) => d.appId === 'UP')!.pending === 0);
    expect((await h.gateway.outboxDepth()).find((d) => d.appId === 'DOWN')).toMatchObject({ pending: 4, dead: 0 });
    expect((await h.gateway.outboxEntries({ appId: 'DOWN' }))[0]).toMatchObject({
      attempts: expect.any(Number),
      lastError: expect.stringContaining('ECONNREFUSED'),
    });
  });
});
