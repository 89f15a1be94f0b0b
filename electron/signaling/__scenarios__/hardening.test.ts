/**
 * Regression tests for the defects issue 13's probe found, over real sockets: malformed frames
 * skipped the rate limiter, refused frames flooded the log, guests could upload without limit,
 * unfinished uploads stayed in memory.
 */
import { readdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { Codes, SignalingCodes } from '../../../shared/codes';
import { expectCode, rawRequest, sleep, startHarness, type Harness } from './harness';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

function closeOf(ws: WebSocket): Promise<number> {
  return new Promise((r) => ws.once('close', (code) => r(code)));
}

describe('malformed frames', () => {
  it('count against the budget: a socket sending garbage is closed (1008) long before 20,000 frames are answered; others are unaffected', async () => {
    h = await startHarness();
    const good = await h.login('bob');
    const ws = await h.raw();
    let answers = 0;
    ws.on('message', () => answers++);
    const closed = closeOf(ws);
    for (let i = 0; i < 20_000 && ws.readyState === ws.OPEN; i++) ws.send(i % 2 ? '{not json' : Buffer.from([1, 2, 3]), { binary: i % 2 === 0 });
    expect(await closed).toBe(1008);
    expect(answers).toBeLessThan(100);
    expect((await good.request('ping', {})).serverTime).toBeGreaterThan(0);
  });

  it('a well-formed flood far past the budget is closed too, and logs a few lines plus a summary, not one per frame', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l) as Record<string, unknown>) });
    h = await startHarness({ logger, signaling: { maxRequestsPerSecond: 20 } });
    const ws = await h.raw();
    const closed = closeOf(ws);
    for (let i = 0; i < 1000 && ws.readyState === ws.OPEN; i++) ws.send(JSON.stringify({ id: i + 1, method: 'ping', data: {} }));
    expect(await closed).toBe(1008);
    const overBudget = lines.filter((l) => l.msg === 'client over its request budget');
    expect(overBudget.length).toBeGreaterThan(0);
    expect(overBudget.length).toBeLessThanOrEqual(5);
    expect(lines.filter((l) => l.msg === 'abusive client: socket closed')).toHaveLength(1);
    await h.signaling.close(); // flushes the throttle's summary
    expect(lines.find((l) => typeof l.msg === 'string' && (l.msg as string).startsWith('suppressed'))).toMatchObject({ reason: 'flooding' });
  });

  it('a few bad frames from a normal client only get errors', async () => {
    h = await startHarness();
    const ws = await h.raw();
    for (let i = 0; i < 10; i++) expect(await rawRequest(ws, '{bad')).toMatchObject({ notification: 'error', data: { code: SignalingCodes.MALFORMED_FRAME } });
    expect(await rawRequest(ws, JSON.stringify({ id: 1, method: 'ping', data: {} }))).toMatchObject({ id: 1, ok: true });
  });
});

describe('uploads', () => {
  it('guests may not upload by default; signaling.guestUploads turns it on', async () => {
    h = await startHarness();
    const guest = await h.connect();
    await guest.login('visitor', '');
    await expectCode(guest.transBufferEx(0, new Uint8Array(10)), SignalingCodes.GUEST_UPLOADS_DISABLED);
    await expectCode(guest.sendFile(0, 'x.bin', new Uint8Array(10)), SignalingCodes.GUEST_UPLOADS_DISABLED);
    await h.close();
    h = await startHarness({ sdk: { guestUploads: true } });
    const g2 = await h.connect();
    await g2.login('visitor', '');
    expect(await g2.transBufferEx(0, new Uint8Array(10))).toBeGreaterThan(0);
  });

  it("a user's unfinished uploads are dropped when it goes away, and the total held is capped", async () => {
    h = await startHarness({ sdk: { uploadInFlightBytes: 3 * 1024 * 1024 } });
    const a = await h.login('alice');
    const b = await h.login('bob');
    const budget = (h.sdk as unknown as { transfers: { budget: { inFlightBytes: number } } }).transfers.budget;
    for (let i = 0; i < 2; i++) await a.request('transferBegin', { kind: 'bufferEx', targetUserId: 0, size: 1024 * 1024 });
    await b.request('transferBegin', { kind: 'bufferEx', targetUserId: 0, size: 1024 * 1024 });
    expect(budget.inFlightBytes).toBe(3 * 1024 * 1024);
    await expectCode(b.request('transferBegin', { kind: 'bufferEx', targetUserId: 0, size: 1024 * 1024 }), Codes.TOO_MANY_REQUESTS);
    a.close();
    const end = Date.now() + 3000;
    while (budget.inFlightBytes !== 1024 * 1024 && Date.now() < end) await sleep(20);
    expect(budget.inFlightBytes).toBe(1024 * 1024);
    expect(await b.transBufferEx(0, new Uint8Array(1000))).toBeGreaterThan(0);
  });

  it('per-user and global quotas on received files; minimum free disk space', async () => {
    h = await startHarness({ sdk: { uploadQuotaBytesPerUser: 5000, uploadQuotaBytesTotal: 8000 } });
    const a = await h.login('alice');
    const b = await h.login('bob');
    await a.sendFile(0, 'one.bin', new Uint8Array(4000));
    await expectCode(a.sendFile(0, 'two.bin', new Uint8Array(2000)), SignalingCodes.UPLOAD_QUOTA_EXCEEDED);
    await b.sendFile(0, 'three.bin', new Uint8Array(3000));
    await expectCode(b.sendFile(0, 'four.bin', new Uint8Array(1500)), SignalingCodes.UPLOAD_QUOTA_EXCEEDED);
    await h.close();
    // More free space required than any disk has: uploads to disk are refused with a clear code.
    h = await startHarness({ sdk: { minFreeDiskBytes: Number.MAX_SAFE_INTEGER } });
    const c = await h.login('carol');
    await expectCode(c.sendFile(0, 'x.bin', new Uint8Array(10)), SignalingCodes.STORAGE_FULL);
    // Buffers live in memory: not refused for disk space.
    expect(await c.transBufferEx(0, new Uint8Array(10))).toBeGreaterThan(0);
  });

  it('received files past their retention are deleted and stop counting', async () => {
    h = await startHarness({ sdk: { receivedFileRetentionHours: 1, uploadQuotaBytesPerUser: 5000 } });
    const a = await h.login('alice');
    await a.sendFile(0, 'keep.bin', new Uint8Array(4000));
    const budget = (h.sdk as unknown as { transfers: { budget: { sweep(): void; storedBytes: number } } }).transfers.budget;
    const dir = path.join(h.dataDir, 'transfers');
    const old = path.join(dir, `${Date.now() - 7_200_000}-u1001-999-old.bin`);
    writeFileSync(old, Buffer.alloc(100));
    const twoHoursAgo = (Date.now() - 7_200_000) / 1000;
    utimesSync(old, twoHoursAgo, twoHoursAgo);
    budget.sweep();
    expect(budget.storedBytes).toBe(4000);
    // Age the kept file too: after the sweep the user's quota is free again.
    const kept = path.join(
      dir,
      readdirSync(dir).find((n) => n.endsWith('keep.bin'))!,
    );
    utimesSync(kept, twoHoursAgo, twoHoursAgo);
    budget.sweep();
    expect(budget.storedBytes).toBe(0);
    expect(await a.sendFile(0, 'again.bin', new Uint8Array(4000))).toBeGreaterThan(0);
  });
});
