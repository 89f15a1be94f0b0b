/**
 * The media rows over the MediaPort. The real media node (electron/media) is not plugged in here:
 * a minimal in-memory port stands in for it, so this covers the signaling side only (routing,
 * room scoping, notifications, the produce veto); the media node's own tests cover RTP.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Codes, SignalingCodes } from '../../../shared/codes';
import type { MediaPort, PortConsumer, PortProducer, PortRouter, PortTransport } from '..';
import { expectCode, startHarness, type Harness } from './harness';

let seq = 0;
const closedRouters: number[] = [];
function memoryPort(): MediaPort {
  return {
    async createRouter(): Promise<PortRouter> {
      const routerNo = ++seq;
      const producers = new Map<string, PortProducer>();
      return {
        rtpCapabilities: { codecs: [{ kind: 'audio', mimeType: 'audio/opus' }], headerExtensions: [] } as never,
        canConsume: ({ producerId }) => producers.has(producerId),
        close: () => void closedRouters.push(routerNo),
        async createWebRtcTransport(): Promise<PortTransport> {
          const id = `t${++seq}`;
          return {
            id,
            iceParameters: { usernameFragment: 'u', password: 'p' },
            iceCandidates: [],
            dtlsParameters: { role: 'auto', fingerprints: [] },
            async connect() {},
            async produce({ kind }) {
              const p: PortProducer = { id: `p${++seq}`, kind, appData: {}, pause() {}, resume() {}, close: () => void producers.delete(p.id) };
              producers.set(p.id, p);
              return p;
            },
            async consume({ producerId }): Promise<PortConsumer> {
              const p = producers.get(producerId)!;
              return { id: `c${++seq}`, producerId, kind: p.kind, rtpParameters: { codecs: [] }, resume() {}, close() {} };
            },
            close() {},
          };
        },
      };
    },
  };
}

let h: Harness;
afterEach(async () => h?.close());

describe('media rows', () => {
  it('router per room, transports, produce with the business veto, newProducer (also right after enterRoom), consume, close', async () => {
    h = await startHarness({ media: memoryPort() });
    const [a, b, c] = [await h.login('alice'), await h.login('bob'), await h.login('carol')];
    await expectCode(a.request('getRouterRtpCapabilities', {}), SignalingCodes.NOT_IN_ROOM);
    await a.enterRoom({ roomId: 1 });
    await b.enterRoom({ roomId: 1, role: 'audience' });
    expect(await a.request('getRouterRtpCapabilities', {})).toMatchObject({ codecs: [{ mimeType: 'audio/opus' }] });
    const t = (await a.request('createWebRtcTransport', { direction: 'send' })) as { id: string };
    expect(t).toMatchObject({ id: expect.any(String), iceParameters: expect.any(Object), dtlsParameters: expect.any(Object) });
    await expectCode(a.request('createWebRtcTransport', { direction: 'up' }), Codes.BAD_REQUEST);
    expect(await a.request('connectWebRtcTransport', { transportId: t.id, dtlsParameters: {} })).toEqual({});
    const bHears = b.next('newProducer');
    const p = (await a.request('produce', { transportId: t.id, kind: 'audio', rtpParameters: {} })) as { id: string };
    expect(await bHears).toEqual({ producerId: p.id, userId: 1001, kind: 'audio' });

    h.sdk.setHook('prepareProduce', (r) => (r.userId === 1002 ? Codes.FORBIDDEN : 0));
    const bt = (await b.request('createWebRtcTransport', { direction: 'send' })) as { id: string };
    await expectCode(b.request('produce', { transportId: bt.id, kind: 'audio', rtpParameters: {} }), Codes.FORBIDDEN);

    const rt = (await b.request('createWebRtcTransport', { direction: 'recv' })) as { id: string };
    const cons = (await b.request('consume', { transportId: rt.id, producerId: p.id, rtpCapabilities: {} })) as { id: string };
    expect(cons).toMatchObject({ producerId: p.id, kind: 'audio' });
    expect(await b.request('resumeConsumer', { consumerId: cons.id })).toEqual({});
    await expectCode(b.request('consume', { transportId: rt.id, producerId: 'nope', rtpCapabilities: {} }), Codes.BAD_REQUEST);
    await expectCode(b.request('produce', { transportId: 'nope', kind: 'audio', rtpParameters: {} }), Codes.NOT_FOUND);

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
    const before = closedRouters.length;
    for (const x of [a, b, c]) await x.leaveRoom();
    expect(closedRouters.length).toBe(before + 1);
  });

  it('without a media node the media rows answer 900801', async () => {
    h = await startHarness();
    const a = await h.login('alice');
    await a.enterRoom({ roomId: 1 });
    await expectCode(a.request('getRouterRtpCapabilities', {}), SignalingCodes.MEDIA_UNAVAILABLE);
  });
});
