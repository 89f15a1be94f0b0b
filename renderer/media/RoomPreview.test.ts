import { describe, expect, it } from 'vitest';
import type { types as ms } from 'mediasoup-client';
import type { CallName, ConsoleEvents, EventName } from '../../shared/ipc/contract';
import type { Result } from '../../shared/result';
import type { ConsoleClient } from '../api/consoleClient';
import { PreviewError, RoomPreview, type PreviewDevice } from './RoomPreview';
import { Codes } from '../../shared/codes';

/** A console client answering from a handler table, recording every call (no DOM, no network). */
function fakeClient(handlers: Partial<Record<CallName, (args: never) => unknown>>) {
  const calls: { name: string; args: unknown }[] = [];
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const client: ConsoleClient = {
    shell: 'web',
    async call(name, args) {
      calls.push({ name, args });
      const h = handlers[name] as ((a: unknown) => unknown) | undefined;
      if (!h) return { ok: false, error: { code: Codes.UNAVAILABLE, message: `${name} unavailable` } } as Result<never>;
      return { ok: true, value: h(args) } as Result<never>;
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (p: unknown) => void);
      return () => set!.delete(listener as (p: unknown) => void);
    },
    onDisconnect: () => () => undefined,
    close: () => undefined,
  };
  const emit = <E extends EventName>(event: E, payload: ConsoleEvents[E]) => listeners.get(event)?.forEach((l) => l(payload));
  return { client, calls, emit, listenerCount: (e: string) => listeners.get(e)?.size ?? 0 };
}

function fakeDevice() {
  const closed: string[] = [];
  let connectHandler: ((p: { dtlsParameters: unknown }, cb: () => void, eb: (e: Error) => void) => void) | null = null;
  const transport = {
    on(event: string, h: typeof connectHandler) {
      if (event === 'connect') connectHandler = h;
    },
    async consume(o: { id: string; producerId: string; kind: string }) {
      return { id: o.id, producerId: o.producerId, kind: o.kind, track: { id: `track-${o.producerId}` }, close: () => closed.push(o.id) };
    },
    close: () => closed.push('transport'),
  };
  const device: PreviewDevice & { loaded: unknown } = {
    loaded: null,
    async load({ routerRtpCapabilities }) {
      this.loaded = routerRtpCapabilities;
    },
    rtpCapabilities: { codecs: [] } as ms.RtpCapabilities,
    createRecvTransport: () => transport as unknown as ms.Transport,
  };
  return { device, closed, connect: (dtls: unknown) => new Promise<void>((res, rej) => connectHandler!({ dtlsParameters: dtls }, res, rej)) };
}

const previewHandlers = () => ({
  'preview:open': () => ({ previewId: 'pv1', routerRtpCapabilities: { codecs: ['opus'] } }),
  'preview:createTransport': () => ({ id: 't1', iceParameters: {}, iceCandidates: [], dtlsParameters: {} }),
  'preview:connectTransport': () => ({}),
  'preview:consume': (a: { producerId: string }) => ({ id: `c-${a.producerId}`, producerId: a.producerId, kind: 'video', rtpParameters: {} }),
  'preview:resume': () => ({}),
  'preview:close': () => ({}),
});

describe('RoomPreview', () => {
  it('opens, loads the device, consumes each producer, resumes, follows producer events and closes', async () => {
    const { client, calls, emit, listenerCount } = fakeClient(previewHandlers());
    const d = fakeDevice();
    let changes = 0;
    const preview = await RoomPreview.create({ client, roomId: 7, createDevice: () => d.device, onChange: () => changes++ });
    expect(d.device.loaded).toEqual({ codecs: ['opus'] });
    await d.connect({ role: 'client' });
    expect(calls.find((c) => c.name === 'preview:connectTransport')?.args).toEqual({ previewId: 'pv1', dtlsParameters: { role: 'client' } });

    await preview.setProducers([{ producerId: 'p1', userId: 1, kind: 'video' }]);
    expect([...preview.tracks.keys()]).toEqual(['p1']);
    expect(calls.filter((c) => c.name === 'preview:resume').map((c) => c.args)).toEqual([{ previewId: 'pv1', consumerId: 'c-p1' }]);

    emit('preview:producers', { previewId: 'other', producers: [] });
    expect(preview.tracks.size).toBe(1);
    emit('preview:producers', { previewId: 'pv1', producers: [{ producerId: 'p2', userId: 2, kind: 'video' }] });
    await new Promise((r) => setTimeout(r, 0));
    expect([...preview.tracks.keys()]).toEqual(['p2']);
    expect(d.closed).toContain('c-p1');
    expect(changes).toBeGreaterThanOrEqual(2);

    await preview.close();
    await preview.close();
    expect(calls.filter((c) => c.name === 'preview:close')).toHaveLength(1);
    expect(d.closed).toContain('transport');
    expect(listenerCount('preview:producers')).toBe(0);
  });

  it('surfaces a coded error from preview:open and closes the preview when a later step fails', async () => {
    const failing = fakeClient({});
    await expect(RoomPreview.create({ client: failing.client, roomId: 1, createDevice: () => fakeDevice().device })).rejects.toBeInstanceOf(PreviewError);

    const { 'preview:createTransport': _drop, ...rest } = previewHandlers();
    const half = fakeClient(rest);
    await expect(RoomPreview.create({ client: half.client, roomId: 1, createDevice: () => fakeDevice().device })).rejects.toMatchObject({
      code: Codes.UNAVAILABLE,
    });
    expect(half.calls.map((c) => c.name)).toEqual(['preview:open', 'preview:createTransport', 'preview:close']);
  });
});
