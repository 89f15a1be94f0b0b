/** The main-thread side of a producer (mediasoup's shape): state, pause/resume, stats; the media work runs in its engine. */
import { EnhancedEmitter } from './EnhancedEmitter';
import type { Consumer } from './Consumer';
import type { RtpMapping } from './ortc';
import type { AppData, MediaKind, RtpParameters, RtpStreamStats } from './types';
import type { WebRtcTransport } from './api';

export type ProducerEvents = {
  transportclose: [];
  close: [];
  pause: [];
  resume: [];
};

export class Producer extends EnhancedEmitter<ProducerEvents> {
  closed = false;
  readonly consumers = new Set<Consumer>();
  readonly observer: EnhancedEmitter<ProducerEvents>;
  readonly type: 'simple' | 'simulcast';

  constructor(
    readonly transport: WebRtcTransport,
    readonly id: string,
    readonly kind: MediaKind,
    readonly rtpParameters: RtpParameters,
    /** @internal parameters as seen by consumers */
    readonly consumableRtpParameters: RtpParameters,
    /** @internal */
    readonly mapping: RtpMapping,
    public paused: boolean,
    readonly appData: AppData,
  ) {
    super(transport.router.ctx.logListenerError);
    this.observer = new EnhancedEmitter(transport.router.ctx.logListenerError);
    this.type = (rtpParameters.encodings?.length ?? 1) > 1 ? 'simulcast' : 'simple';
  }

  private get ctx() {
    return this.transport.router.ctx;
  }

  async pause() {
    if (this.closed) throw new Error('producer closed');
    await this.ctx.request('producer.pause', { producerId: this.id });
    if (this.paused) return;
    this.paused = true;
    for (const c of this.consumers) c.producerPausedChanged(true);
    this.observer.emit('pause');
  }

  async resume() {
    if (this.closed) throw new Error('producer closed');
    await this.ctx.request('producer.resume', { producerId: this.id });
    if (!this.paused) return;
    this.paused = false;
    for (const c of this.consumers) c.producerPausedChanged(false);
    this.observer.emit('resume');
  }

  async getStats(): Promise<RtpStreamStats[]> {
    return await this.ctx.request('producer.getStats', { producerId: this.id });
  }

  close() {
    if (this.closed) return;
    this.closeInternal();
    this.ctx.send('producer.close', { producerId: this.id });
    this.emit('close');
    this.observer.emit('close');
  }

  /** @internal */
  transportClosed() {
    if (this.closed) return;
    this.closeInternal();
    this.emit('transportclose');
    this.observer.emit('close');
  }

  private closeInternal() {
    this.closed = true;
    this.transport.producers.delete(this.id);
    this.transport.router.producers.delete(this.id);
    for (const c of [...this.consumers]) c.producerClosed();
  }
}
