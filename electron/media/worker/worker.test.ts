import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaNode } from '../index';
import { NodePeer, waitFor } from '../testing/NodePeer';

describe('MediaNode with worker threads', () => {
  let node: MediaNode;
  beforeAll(async () => {
    node = await MediaNode.create({
      listenIp: '127.0.0.1',
      announcedIp: null,
      rtcMinPort: 44000,
      rtcMaxPort: 44100,
      numWorkers: 2,
      recordingsDir: mkdtempSync(path.join(tmpdir(), 'media-w-')),
      logger: pino({ level: 'silent' }),
      iceConsentTimeoutMs: 1500,
      iceConnectTimeoutMs: 2000,
    });
  });
  afterAll(async () => {
    await node?.close();
  });

  it('spreads routers across workers and forwards media through a worker', async () => {
    const r1 = await node.createRouter();
    const r2 = await node.createRouter();
    expect(new Set([r1.workerId, r2.workerId]).size).toBe(2);
    const st = await r1.createWebRtcTransport();
    const rt = await r1.createWebRtcTransport();
    const [a, b] = await Promise.all([
      NodePeer.connect(st, (dtlsParameters) => st.connect({ dtlsParameters })),
      NodePeer.connect(rt, (dtlsParameters) => rt.connect({ dtlsParameters })),
    ]);
    await waitFor(() => st.dtlsState === 'connected' && rt.dtlsState === 'connected', 5000, 'connected');
    const producer = await st.produce({
      kind: 'audio',
      rtpParameters: {
        mid: '0',
        codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2, parameters: { useinbandfec: 1 } }],
        encodings: [{ ssrc: 4242 }],
        headerExtensions: [{ uri: 'urn:ietf:params:rtp-hdrext:ssrc-audio-level', id: 5 }],
      },
    });
    const consumer = await rt.consume({ producerId: producer.id, rtpCapabilities: r1.rtpCapabilities });
    const volumes: number[] = [];
    r1.on('volumes', (v) => volumes.push(v[0].volume));
    for (let i = 0; i < 60; i++) {
      await a.sendRtp(
        { ssrc: 4242, payloadType: 111, sequenceNumber: i, timestamp: i * 960, extensions: [{ id: 5, payload: Buffer.from([30]) }] },
        Buffer.from([0xfc, i]),
      );
      await new Promise((r) => setTimeout(r, 20));
    }
    await waitFor(() => b.rtpCount >= 55, 3000, 'audio through worker');
    expect(b.rtp[0].header.ssrc).toBe(consumer.rtpParameters.encodings![0].ssrc);
    // audio level observer (ssrc-audio-level 30 → -30 dBov) fired on the router
    await waitFor(() => volumes.length > 0, 3000, 'volumes');
    expect(volumes[0]).toBe(-30);
    // ICE consent: the peer goes away → the transport closes itself, cascading to its producer
    const events: string[] = [];
    st.on('close', () => events.push('transport close'));
    producer.on('transportclose', () => events.push('producer transportclose'));
    consumer.on('producerclose', () => events.push('consumer producerclose'));
    await a.close();
    await waitFor(() => events.includes('transport close'), 6000, 'consent timeout');
    // (B's receive-only raw peer sends no RTCP, so its transport may have timed out first)
    expect(events.filter((e) => !e.startsWith('consumer'))).toEqual(['producer transportclose', 'transport close']);
    expect(consumer.closed).toBe(true);
    await b.close();
  });

  it('closes a transport that never gets connected (connect timeout)', async () => {
    const r = await node.createRouter();
    const t = await r.createWebRtcTransport();
    const closed = new Promise<void>((res) => t.on('close', () => res()));
    await closed;
    expect(t.closed).toBe(true);
    expect(r.transports.size).toBe(0);
  });

  it('reports a crashed worker, closes its routers and restarts it', async () => {
    const router = await node.createRouter({ room: 7 });
    const wid = router.workerId;
    const died = new Promise<{ workerId: number; routerIds: string[] }>((r) => node.once('workerdied', r));
    const restarted = new Promise<{ workerId: number }>((r) => node.once('workerrestarted', r));
    const routerEvents: string[] = [];
    router.on('workerclose', () => routerEvents.push('workerclose'));
    router.on('close', () => routerEvents.push('close'));
    await node.crashWorker(wid);
    const d = await died;
    expect(d.workerId).toBe(wid);
    expect(d.routerIds).toContain(router.id);
    expect(routerEvents).toEqual(['workerclose', 'close']);
    expect(router.closed).toBe(true);
    expect((await restarted).workerId).toBe(wid);
    // the node keeps working, on the restarted worker too
    const again = await Promise.all([node.createRouter(), node.createRouter(), node.createRouter()]);
    expect(again.some((r) => r.workerId === wid)).toBe(true);
    const t = await again.find((r) => r.workerId === wid)!.createWebRtcTransport();
    expect(t.iceCandidates[0].port).toBeGreaterThanOrEqual(44000);
  });
});
