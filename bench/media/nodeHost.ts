/**
 * The media node in a process of its own for the bench (forked by nodeProcess.ts), so its CPU is
 * read from /proc/<pid>/stat exactly as Janus's is. One worker thread, loopback, a private port
 * range; the parent drives it with a few RPCs over the IPC channel.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { MediaNode, type RtpParameters, type WebRtcTransport } from '../../electron/media/index';
import type { DtlsParameters } from '../../electron/media/types';

export interface HostRequests {
  createTransport: { data: Record<string, never>; result: Pick<WebRtcTransport, 'id' | 'iceParameters' | 'iceCandidates' | 'dtlsParameters'> };
  connect: { data: { transportId: string; dtlsParameters: DtlsParameters }; result: Record<string, never> };
  produce: { data: { transportId: string; rtpParameters: RtpParameters }; result: { producerId: string } };
  consume: { data: { transportId: string; producerId: string }; result: Record<string, never> };
  closeTransport: { data: { transportId: string }; result: Record<string, never> };
  dump: { data: Record<string, never>; result: { rtpIn: number; rtpOut: number } };
}

export type HostRequest = { [M in keyof HostRequests]: { id: number; method: M; data: HostRequests[M]['data'] } }[keyof HostRequests];
export type HostReply = { id: number; result?: unknown; error?: string };

async function main(): Promise<void> {
  const [minPort, maxPort] = (process.env.BENCH_RTC_PORTS ?? '49200-49999').split('-').map(Number);
  const node = await MediaNode.create({
    listenIp: '127.0.0.1',
    announcedIp: null,
    rtcMinPort: minPort,
    rtcMaxPort: maxPort,
    numWorkers: 1,
    recordingsDir: mkdtempSync(path.join(tmpdir(), 'media-bench-')),
    logger: pino({ level: 'warn' }),
    iceConsentTimeoutMs: 600_000, // idle receivers between rounds must stay up
  });
  const router = await node.createRouter();
  const transports = new Map<string, WebRtcTransport>();
  const get = (id: string) => {
    const t = transports.get(id);
    if (!t) throw new Error(`transport ${id} not found`);
    return t;
  };
  const handlers: { [M in keyof HostRequests]: (d: HostRequests[M]['data']) => Promise<HostRequests[M]['result']> } = {
    createTransport: async () => {
      const t = await router.createWebRtcTransport();
      transports.set(t.id, t);
      return { id: t.id, iceParameters: t.iceParameters, iceCandidates: t.iceCandidates, dtlsParameters: t.dtlsParameters };
    },
    connect: async ({ transportId, dtlsParameters }) => (await get(transportId).connect({ dtlsParameters }), {}),
    produce: async ({ transportId, rtpParameters }) => ({ producerId: (await get(transportId).produce({ kind: 'video', rtpParameters })).id }),
    consume: async ({ transportId, producerId }) => (await get(transportId).consume({ producerId, rtpCapabilities: router.rtpCapabilities }), {}),
    closeTransport: async ({ transportId }) => (transports.get(transportId)?.close(), transports.delete(transportId), {}),
    dump: async () => {
      const d = (await node.dump())[0] as unknown as { rtpIn: number; rtpOut: number };
      return { rtpIn: d.rtpIn, rtpOut: d.rtpOut };
    },
  };
  process.on('message', (m: HostRequest) => {
    const handler = handlers[m.method] as (d: unknown) => Promise<unknown>;
    handler(m.data).then(
      (result) => process.send!({ id: m.id, result } satisfies HostReply),
      (e: unknown) => process.send!({ id: m.id, error: String(e) } satisfies HostReply),
    );
  });
  process.on('disconnect', () => void node.close().finally(() => process.exit(0)));
  process.send!({ id: 0, result: 'ready' } satisfies HostReply);
}

void main();
