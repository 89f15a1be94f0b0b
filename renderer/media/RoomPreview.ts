/**
 * Live preview of one room: the console itself consumes the room's producers through
 * mediasoup-client. Sequence (all over the console contract):
 *   preview:open → Device.load({routerRtpCapabilities}) → preview:createTransport →
 *   device.createRecvTransport(...) (its `connect` event → preview:connectTransport) →
 *   per producer: preview:consume → transport.consume(...) → preview:resume.
 * Producers come from `rooms:detail().producers` (initial) and `preview:producers` events.
 * `close()` is idempotent and ends with preview:close.
 */
import type { types as ms } from 'mediasoup-client';
import type { ConsoleEvents } from '../../shared/ipc/contract';
import type { ConsoleClient } from '../api/consoleClient';

export interface PreviewProducer {
  producerId: string;
  userId: number;
  kind: 'audio' | 'video';
}

export interface PreviewTrack extends PreviewProducer {
  track: MediaStreamTrack;
}

/** The slice of mediasoup-client's Device the preview needs (injected: tests pass a fake). */
export interface PreviewDevice {
  load(opts: { routerRtpCapabilities: ms.RtpCapabilities }): Promise<void>;
  readonly rtpCapabilities: ms.RtpCapabilities;
  createRecvTransport(opts: ms.TransportOptions): ms.Transport;
}

export interface RoomPreviewOptions {
  client: ConsoleClient;
  roomId: number;
  createDevice: () => PreviewDevice | Promise<PreviewDevice>;
  /** Called whenever the set of tracks or producers changes. */
  onChange?: () => void;
  onProducers?: (producers: PreviewProducer[]) => void;
}

export class PreviewError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export class RoomPreview {
  readonly tracks = new Map<string, PreviewTrack>();
  private readonly consumers = new Map<string, ms.Consumer>();
  private readonly pending = new Set<string>();
  private unsubscribe: (() => void) | null = null;
  private closed = false;

  private constructor(
    private readonly opts: RoomPreviewOptions,
    readonly previewId: string,
    private readonly device: PreviewDevice,
    private readonly transport: ms.Transport,
  ) {}

  static async create(opts: RoomPreviewOptions): Promise<RoomPreview> {
    const { client, roomId } = opts;
    const opened = await client.call('preview:open', { roomId });
    if (!opened.ok) throw new PreviewError(opened.error.code, opened.error.message);
    const { previewId } = opened.value;
    try {
      const device = await opts.createDevice();
      await device.load({ routerRtpCapabilities: opened.value.routerRtpCapabilities as ms.RtpCapabilities });
      const t = await client.call('preview:createTransport', { previewId });
      if (!t.ok) throw new PreviewError(t.error.code, t.error.message);
      const transport = device.createRecvTransport({
        id: t.value.id,
        iceParameters: t.value.iceParameters as ms.IceParameters,
        iceCandidates: t.value.iceCandidates as ms.IceCandidate[],
        dtlsParameters: t.value.dtlsParameters as ms.DtlsParameters,
      });
      transport.on('connect', ({ dtlsParameters }, callback, errback) => {
        client
          .call('preview:connectTransport', { previewId, dtlsParameters })
          .then((r) => (r.ok ? callback() : errback(new PreviewError(r.error.code, r.error.message))))
          .catch(errback);
      });
      const preview = new RoomPreview(opts, previewId, device, transport);
      preview.unsubscribe = client.on('preview:producers', (e) => preview.producersEvent(e));
      return preview;
    } catch (err) {
      await client.call('preview:close', { previewId });
      throw err;
    }
  }

  private producersEvent(e: ConsoleEvents['preview:producers']): void {
    if (e.previewId !== this.previewId || this.closed) return;
    this.opts.onProducers?.(e.producers);
    void this.setProducers(e.producers);
  }

  /** Consumes producers not yet consumed, closes consumers whose producer is gone. */
  async setProducers(producers: readonly PreviewProducer[]): Promise<void> {
    if (this.closed) return;
    const wanted = new Set(producers.map((p) => p.producerId));
    let changed = false;
    for (const [producerId, consumer] of this.consumers) {
      if (wanted.has(producerId)) continue;
      consumer.close();
      this.consumers.delete(producerId);
      this.tracks.delete(producerId);
      changed = true;
    }
    if (changed) this.opts.onChange?.();
    await Promise.all(producers.filter((p) => !this.consumers.has(p.producerId) && !this.pending.has(p.producerId)).map((p) => this.consume(p)));
  }

  private async consume(p: PreviewProducer): Promise<void> {
    const { client } = this.opts;
    this.pending.add(p.producerId);
    try {
      const r = await client.call('preview:consume', { previewId: this.previewId, producerId: p.producerId, rtpCapabilities: this.device.rtpCapabilities });
      if (!r.ok || this.closed) return;
      const consumer = await this.transport.consume({
        id: r.value.id,
        producerId: r.value.producerId,
        kind: r.value.kind,
        rtpParameters: r.value.rtpParameters as ms.RtpParameters,
      });
      if (this.closed) {
        consumer.close();
        return;
      }
      this.consumers.set(p.producerId, consumer);
      this.tracks.set(p.producerId, { ...p, track: consumer.track });
      await client.call('preview:resume', { previewId: this.previewId, consumerId: consumer.id });
      this.opts.onChange?.();
    } finally {
      this.pending.delete(p.producerId);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe?.();
    for (const c of this.consumers.values()) c.close();
    this.consumers.clear();
    this.tracks.clear();
    this.transport.close();
    await this.opts.client.call('preview:close', { previewId: this.previewId });
  }
}
