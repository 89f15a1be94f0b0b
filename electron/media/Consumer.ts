/** The main-thread side of a consumer (mediasoup's shape): state, pause/resume, layers, stats; the media work runs in its engine. */
import { EnhancedEmitter } from './EnhancedEmitter';
import type { EngineNotification } from './engine/protocol';
import type { Producer } from './Producer';
import type { AppData, ConsumerLayers, MediaKind, RtpParameters, RtpStreamStats } from './types';
import type { WebRtcTransport } from './api';

export type ConsumerEvents = {
  transportclose: [];
  producerclose: [];
  producerpause: [];
  producerresume: [];
  layerschange: [ConsumerLayers | undefined];
  close: [];
  pause: [];
  resume: [];
};

export class Consumer extends EnhancedEmitter<ConsumerEvents> {
  closed = false;
  readonly observer: EnhancedEmitter<ConsumerEvents>;
  readonly producerId: string;
  readonly kind: MediaKind;
  readonly type: 'simple' | 'simulcast';
  currentLayers: ConsumerLayers | undefined;
  preferredLayers: ConsumerLayers | undefined;

  constructor(
    readonly transport: WebRtcTransport,
    readonly id: string,
    private readonly producer: Producer,
    readonly rtpParameters: RtpParameters,
    public paused: boolean,
    public producerPaused: boolean,
    readonly appData: AppData,
  ) {
    super(transport.router.ctx.logListenerError);
    this.observer = new EnhancedEmitter(transport.router.ctx.logListenerError);
    this.producerId = producer.id;
    this.kind = producer.kind;
    this.type = producer.type;
    if (this.type === 'simulcast') this.preferredLayers = { spatialLayer: (producer.rtpParameters.encodings?.length ?? 1) - 1, temporalLayer: 0 };
    transport.router.ctx.register(id, (n) => this.onNotification(n));
  }

  private get ctx() {
    return this.transport.router.ctx;
  }

  private onNotification(n: EngineNotification) {
    if (n.event !== 'layerschange') return;
    // undefined (as mediasoup): no layer is sent, the downlink cannot carry even the lowest one
    this.currentLayers = n.data ?? undefined;
    this.emit('layerschange', this.currentLayers);
    this.observer.emit('layerschange', this.currentLayers);
  }

  async pause() {
    if (this.closed) throw new Error('consumer closed');
    await this.ctx.request('consumer.pause', { consumerId: this.id });
    this.paused = true;
    this.observer.emit('pause');
  }

  async resume() {
    if (this.closed) throw new Error('consumer closed');
    await this.ctx.request('consumer.resume', { consumerId: this.id });
    this.paused = false;
    this.observer.emit('resume');
  }

  async setPreferredLayers({ spatialLayer, temporalLayer }: ConsumerLayers) {
    if (this.closed) throw new Error('consumer closed');
    await this.ctx.request('consumer.setPreferredLayers', { consumerId: this.id, spatialLayer, temporalLayer });
    const max = (this.producer.rtpParameters.encodings?.length ?? 1) - 1;
    this.preferredLayers = { spatialLayer: Math.max(0, Math.min(spatialLayer, max)), temporalLayer: temporalLayer ?? 0 };
  }

  async requestKeyFrame() {
    if (this.closed) throw new Error('consumer closed');
    await this.ctx.request('consumer.requestKeyFrame', { consumerId: this.id });
  }

  async getStats(): Promise<RtpStreamStats[]> {
    return await this.ctx.request('consumer.getStats', { consumerId: this.id });
  }

  close() {
    if (this.closed) return;
    this.closeInternal();
    this.ctx.send('consumer.close', { consumerId: this.id });
    this.emit('close');
    this.observer.emit('close');
  }

  /** @internal */
  producerPausedChanged(paused: boolean) {
    if (this.closed || this.producerPaused === paused) return;
    this.producerPaused = paused;
    this.emit(paused ? 'producerpause' : 'producerresume');
  }

  /** @internal */
  producerClosed() {
    if (this.closed) return;
    this.closeInternal();
    this.emit('producerclose');
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
    this.ctx.unregister(this.id);
    this.transport.consumers.delete(this.id);
    this.producer.consumers.delete(this);
  }
}
