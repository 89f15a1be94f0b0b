/**
 * The media rows on the real local media node (in-process engine, real ORTC): routing, room
 * scoping, notifications, the produce veto, and how offered parameters that ORTC or the schemas
 * refuse are answered. RTP itself is covered by mediaNode.test.ts and the media node's own tests.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { Codes, SignalingCodes } from '../../../shared/codes';
import { MediaNode, type RtpCapabilities, type RtpParameters } from '../../media';
import { waitFor } from '../../media/testing/NodePeer';
import { capturingLogger, expectCode, startHarness, type Harness } from './harness';

const opus: RtpParameters = {
  mid: '0',
  codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2, parameters: { useinbandfec: 1 } }],
  headerExtensions: [{ uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 1 }],
  encodings: [{ ssrc: 1111 }],
  rtcp: { cname: 'c' },
};
/** A well-formed DTLS offer (the transport never completes DTLS with it; no peer is behind it). */
const dtls = { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: Array.from({ length: 32 }, () => 'AB').join(':') }] };

let h: Harness | undefined;
let node: MediaNode | undefined;
afterEach(async () => {
  await h?.close();
  await node?.close();
  h = node = undefined;
});

async function start(opts: Parameters<typeof startHarness>[0] = {}) {
  node = await MediaNode.create({
    listenIp: '127.0.0.1',
    announcedIp: null,
    rtcMinPort: 42400,
    rtcMaxPort: 42500,
    numWorkers: 0,
    recordingsDir: mkdtempSync(path.join(tmpdir(), 'sig-media-')),
    logger: opts.logger ?? pino({ level: 'silent' }),
  });
  h = await startHarness({ ...opts, mediaNode: node });
  return { h, node };
}

describe('media rows', () => {
  it('router per room, transports, produce with the business veto, newProducer (also right after enterRoom), consume, close', async () => {
    const { h, node } = await start();
    const [a, b, c] = [await h.login('alice'), await h.login('bob'), await h.login('carol')];
    await expectCode(a.request('getRouterRtpCapabilities', {}), SignalingCodes.NOT_IN_ROOM);
    await a.enterRoom({ roomId: 1 });
    await b.enterRoom({ roomId: 1, role: 'audience' });
    const caps = (await a.request('getRouterRtpCapabilities', {})) as RtpCapabilities;
    expect(caps).toMatchObject({ codecs: expect.arrayContaining([expect.objectContaining({ mimeType: 'audio/opus' })]) });
    const t = (await a.request('createWebRtcTransport', { direction: 'send' })) as { id: string };
    expect(t).toMatchObject({ id: expect.any(String), iceParameters: expect.any(Object), dtlsParameters: expect.any(Object) });
    await expectCode(a.request('createWebRtcTransport', { direction: 'up' }), Codes.BAD_REQUEST);
    expect(await a.request('connectWebRtcTransport', { transportId: t.id, dtlsParameters: dtls })).toEqual({});
    const bHears = b.next('newProducer');
    const p = (await a.request('produce', { transportId: t.id, kind: 'audio', rtpParameters: opus })) as { id: string };
    expect(await bHears).toEqual({ producerId: p.id, userId: 1001, kind: 'audio' });

    h.sdk.setHook('prepareProduce', (r) => (r.userId === 1002 ? Codes.FORBIDDEN : 0));
    const bt = (await b.request('createWebRtcTransport', { direction: 'send' })) as { id: string };
    await expectCode(b.request('produce', { transportId: bt.id, kind: 'audio', rtpParameters: opus }), Codes.FORBIDDEN);

    const rt = (await b.request('createWebRtcTransport', { direction: 'recv' })) as { id: string };
    const cons = (await b.request('consume', { transportId: rt.id, producerId: p.id, rtpCapabilities: caps })) as { id: string };
    expect(cons).toMatchObject({ producerId: p.id, kind: 'audio', rtpParameters: { codecs: [expect.objectContaining({ mimeType: 'audio/opus' })] } });
    expect(await b.request('resumeConsumer', { consumerId: cons.id })).toEqual({});
    // The consumer's layer changes reach its owner (the engine side is covered by the congestion scenario):
    // a layer, and null when the downlink cannot carry even the lowest one.
    const nodeConsumer = [...node.routers.values()][0].transports.get(rt.id)!.consumers.get(cons.id)!;
    const layerNotes = [b.next('consumerLayersChanged'), b.next('consumerLayersChanged', (n) => n.spatialLayer === null)];
    nodeConsumer.emit('layerschange', { spatialLayer: 1, temporalLayer: 0 });
    nodeConsumer.emit('layerschange', undefined);
    expect(await Promise.all(layerNotes)).toEqual([
      { consumerId: cons.id, producerId: p.id, spatialLayer: 1, temporalLayer: 0 },
      { consumerId: cons.id, producerId: p.id, spatialLayer: null, temporalLayer: null, reason: 'bandwidth' },
    ]);
    await expectCode(b.request('consume', { transportId: rt.id, producerId: 'nope', rtpCapabilities: caps }), Codes.BAD_REQUEST);
    await expectCode(b.request('produce', { transportId: 'nope', kind: 'audio', rtpParameters: opus }), Codes.NOT_FOUND);

    // A late joiner gets newProducer for what is already there, right after enterRoom.
    const late = c.next('newProducer');
    await c.enterRoom({ roomId: 1 });
    expect((await late).producerId).toBe(p.id);

    // Peers are told when a member pauses / resumes (NIM seed); the member itself is not.
    let selfTold = 0;
    a.on('producerPaused', () => selfTold++);
    a.on('producerResumed', () => selfTold++);
    const paused = [b.next('producerPaused'), c.next('producerPaused')];
    expect(await a.request('pauseProducer', { producerId: p.id })).toEqual({});
    for (const n of await Promise.all(paused)) expect(n).toEqual({ producerId: p.id, userId: 1001, kind: 'audio' });
    const resumed = b.next('producerResumed');
    expect(await a.request('resumeProducer', { producerId: p.id })).toEqual({});
    expect(await resumed).toEqual({ producerId: p.id, userId: 1001, kind: 'audio' });
    expect(selfTold).toBe(0);
    const closed = b.next('producerClosed');
    await h.sdk.closeUserProducers(1001);
    expect(await closed).toEqual({ producerId: p.id, userId: 1001, kind: 'audio' });
    await expectCode(a.request('closeProducer', { producerId: p.id }), Codes.NOT_FOUND);

    // Leaving releases media; the last one out closes the router.
    expect(node.routers.size).toBe(1);
    for (const x of [a, b, c]) await x.leaveRoom();
    await waitFor(() => node.routers.size === 0, 2000, 'router closed');
  });

  it('an unsupported codec in produce and malformed dtlsParameters are 900400 naming the field, never an error-level log', async () => {
    const { logger, lines } = capturingLogger();
    const { h } = await start({ logger });
    const a = await h.login('alice');
    await a.enterRoom({ roomId: 2 });
    const t = (await a.request('createWebRtcTransport', { direction: 'send' })) as { id: string };

    const h265 = { ...opus, codecs: [{ mimeType: 'video/H265', payloadType: 100, clockRate: 90000 }] };
    const e1 = await a
      .request('produce', { transportId: t.id, kind: 'video', rtpParameters: h265 })
      .catch((e: unknown) => e as { code: number; message: string });
    expect(e1).toMatchObject({ code: Codes.BAD_REQUEST });
    expect((e1 as Error).message).toMatch(/^rtpParameters\.codecs\[0\]: unsupported codec \[mimeType:video\/H265/);

    const noEncodings = { ...opus, encodings: [] };
    const e2 = await a.request('produce', { transportId: t.id, kind: 'audio', rtpParameters: noEncodings }).catch((e: unknown) => e as Error);
    expect(e2).toMatchObject({ code: Codes.BAD_REQUEST, message: expect.stringMatching(/^rtpParameters\.encodings: /) });

    const e3 = await a.request('produce', { transportId: t.id, kind: 'audio', rtpParameters: {} }).catch((e: unknown) => e as Error);
    expect(e3).toMatchObject({ code: Codes.BAD_REQUEST, message: expect.stringMatching(/rtpParameters\.codecs/) });

    const badDtls = [
      {},
      { fingerprints: [] },
      { role: 'client', fingerprints: [{ algorithm: 'md5', value: dtls.fingerprints[0].value }] },
      { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'not hex' }] },
      { role: 'boss', fingerprints: dtls.fingerprints },
    ];
    for (const dtlsParameters of badDtls) {
      const e = await a.request('connectWebRtcTransport', { transportId: t.id, dtlsParameters }).catch((x: unknown) => x as Error);
      expect(e, JSON.stringify(dtlsParameters)).toMatchObject({ code: Codes.BAD_REQUEST, message: expect.stringMatching(/dtlsParameters/) });
    }
    // the transport is still usable after the refusals
    expect(await a.request('connectWebRtcTransport', { transportId: t.id, dtlsParameters: dtls })).toEqual({});
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    expect(lines.some((l) => l.msg === 'request refused')).toBe(true);
  });

  it("restartIce: new credentials for the caller's own transport; unknown or foreign transport 900404, bad data 900400 at warn", async () => {
    const { logger, lines } = capturingLogger();
    const { h, node } = await start({ logger });
    const [a, b] = [await h.login('alice'), await h.login('bob')];
    await expectCode(a.request('restartIce', { transportId: 'nope' }), SignalingCodes.NOT_IN_ROOM);
    await a.enterRoom({ roomId: 3 });
    await b.enterRoom({ roomId: 3 });
    const t = (await a.request('createWebRtcTransport', { direction: 'send' })) as {
      id: string;
      iceParameters: { usernameFragment: string; password: string };
      iceCandidates: { protocol: string; tcpType?: string }[];
    };
    // both candidates by default (protocol §6), TCP passive
    expect(t.iceCandidates.map((c) => [c.protocol, c.tcpType ?? null])).toEqual([
      ['udp', null],
      ['tcp', 'passive'],
    ]);
    const r = (await a.request('restartIce', { transportId: t.id })) as { iceParameters: { usernameFragment: string; password: string; iceLite: boolean } };
    expect(r.iceParameters).toMatchObject({ iceLite: true, usernameFragment: expect.stringMatching(/^[a-z0-9]{16}$/) });
    expect(r.iceParameters.usernameFragment).not.toBe(t.iceParameters.usernameFragment);
    expect(r.iceParameters.password).not.toBe(t.iceParameters.password);
    await expectCode(a.request('restartIce', { transportId: 'nope' }), Codes.NOT_FOUND);
    // the node closed it (as an ICE consent timeout does): gone for the client, not a server error
    for (const r of node.routers.values()) r.transports.get(t.id)?.close();
    await expectCode(a.request('connectWebRtcTransport', { transportId: t.id, dtlsParameters: dtls }), Codes.NOT_FOUND);
    await expectCode(a.request('restartIce', { transportId: t.id }), Codes.NOT_FOUND);
    await expectCode(b.request('restartIce', { transportId: t.id }), Codes.NOT_FOUND); // not bob's transport
    await expectCode(a.request('restartIce', {}), Codes.BAD_REQUEST);
    await expectCode(a.request('restartIce', { transportId: 7 }), Codes.BAD_REQUEST);
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
  });

  it('without a media node the media rows answer 900801', async () => {
    h = await startHarness();
    const a = await h.login('alice');
    await a.enterRoom({ roomId: 1 });
    await expectCode(a.request('getRouterRtpCapabilities', {}), SignalingCodes.MEDIA_UNAVAILABLE);
  });
});
