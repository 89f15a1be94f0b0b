/**
 * Main-thread objects with mediasoup's shape: Router → WebRtcTransport → Producer / Consumer.
 * They hold negotiated parameters and state; all media work happens in the engine they talk to.
 */
import { randomUUID } from 'node:crypto';
import type { EngineContext } from './EngineContext';
import type { EngineNotification } from './engine/protocol';
import { Consumer } from './Consumer';
import { EnhancedEmitter } from './EnhancedEmitter';
import {
  canConsume as ortcCanConsume,
  generateRouterRtpCapabilities,
  getConsumableRtpParameters,
  getConsumerRtpParameters,
  getProducerRtpParametersMapping,
  type RouterMediaCodec,
} from './ortc';
import { Producer } from './Producer';
import type {
  AppData,
  ConsumerLayers,
  DtlsParameters,
  IceCandidate,
  IceParameters,
  MediaKind,
  RtpCapabilities,
  RtpParameters,
  TransportState,
  TransportStats,
} from './types';

// ------------------------------------------------------------------------------------ Router

export type RouterEvents = {
  close: [];
  /** the worker hosting this router crashed; the router is closed */
  workerclose: [];
  newtransport: [WebRtcTransport];
  volumes: [{ producer: Producer | undefined; producerId: string; volume: number }[]];
  silence: [];
  dominantspeaker: [{ producer: Producer | undefined; producerId: string }];
};

export class Router extends EnhancedEmitter<RouterEvents> {
  readonly id = randomUUID();
  readonly rtpCapabilities: RtpCapabilities;
  closed = false;
  readonly transports = new Map<string, WebRtcTransport>();
  readonly producers = new Map<string, Producer>();
  /** mediasoup-style observer: same events, for code that only observes */
  readonly observer: EnhancedEmitter<RouterEvents>;

  private constructor(
    readonly ctx: EngineContext,
    readonly appData: AppData,
    mediaCodecs?: RouterMediaCodec[],
  ) {
    super(ctx.logListenerError);
    this.observer = new EnhancedEmitter(ctx.logListenerError);
    this.rtpCapabilities = generateRouterRtpCapabilities(mediaCodecs);
  }

  get workerId() {
    return this.ctx.workerId;
  }

  static async create(ctx: EngineContext, appData: AppData = {}, mediaCodecs?: RouterMediaCodec[]): Promise<Router> {
    const r = new Router(ctx, appData, mediaCodecs);
    await ctx.request('router.create', { routerId: r.id });
    ctx.register(r.id, (n) => r.onNotification(n));
    return r;
  }

  private onNotification(n: EngineNotification) {
    switch (n.event) {
      case 'volumes': {
        const list = n.data.map((v) => ({ ...v, producer: this.producers.get(v.producerId) }));
        this.emit('volumes', list);
        this.observer.emit('volumes', list);
        break;
      }
      case 'silence':
        this.emit('silence');
        this.observer.emit('silence');
        break;
      case 'dominantspeaker': {
        const d = { producerId: n.data.producerId, producer: this.producers.get(n.data.producerId) };
        this.emit('dominantspeaker', d);
        this.observer.emit('dominantspeaker', d);
        break;
      }
      default:
        break; // addressed to a router, the other events cannot occur
    }
  }

  async createWebRtcTransport({ appData = {} }: { appData?: AppData } = {}): Promise<WebRtcTransport> {
    if (this.closed) throw new Error('router closed');
    const transportId = randomUUID();
    const res = await this.ctx.request('router.createWebRtcTransport', { routerId: this.id, transportId });
    if (this.closed) {
      this.ctx.send('transport.close', { transportId });
      throw new Error('router closed');
    }
    const t = new WebRtcTransport(this, transportId, res.iceParameters, res.iceCandidates, res.dtlsParameters, appData);
    this.transports.set(t.id, t);
    this.emit('newtransport', t);
    this.observer.emit('newtransport', t);
    return t;
  }

  canConsume({ producerId, rtpCapabilities }: { producerId: string; rtpCapabilities: RtpCapabilities }): boolean {
    const p = this.producers.get(producerId);
    if (!p || p.closed) return false;
    try {
      return ortcCanConsume(p.consumableRtpParameters, rtpCapabilities);
    } catch {
      return false;
    }
  }

  getProducer(id: string) {
    return this.producers.get(id);
  }

  close() {
    if (this.closed) return;
    this.closeInternal(false);
    this.ctx.send('router.close', { routerId: this.id });
  }

  /** @internal worker died (true) or explicit close */
  closeInternal(workerDied: boolean) {
    if (this.closed) return;
    this.closed = true;
    for (const t of [...this.transports.values()]) t.routerClosed();
    this.ctx.unregister(this.id);
    if (workerDied) this.emit('workerclose');
    this.emit('close');
    this.observer.emit('close');
  }
}

// ------------------------------------------------------------------------------------ Transport

export type TransportEvents = {
  icestatechange: [string];
  dtlsstatechange: [TransportState];
  /** closed by the engine (ICE consent timeout, DTLS failure) or by close() */
  close: [];
  routerclose: [];
  newproducer: [Producer];
  newconsumer: [Consumer];
};

export class WebRtcTransport extends EnhancedEmitter<TransportEvents> {
  closed = false;
  iceState = 'new';
  dtlsState: TransportState = 'new';
  readonly producers = new Map<string, Producer>();
  readonly consumers = new Map<string, Consumer>();
  readonly observer: EnhancedEmitter<TransportEvents>;
  private nextMid = 0;
  private connected = false;
  private cnameForProducers?: string;

  constructor(
    readonly router: Router,
    readonly id: string,
    /** replaced by restartIce() */
    public iceParameters: IceParameters,
    readonly iceCandidates: IceCandidate[],
    readonly dtlsParameters: DtlsParameters,
    readonly appData: AppData,
  ) {
    super(router.ctx.logListenerError);
    this.observer = new EnhancedEmitter(router.ctx.logListenerError);
    router.ctx.register(id, (n) => this.onNotification(n));
  }

  private onNotification(n: EngineNotification) {
    switch (n.event) {
      case 'icestatechange':
        this.iceState = n.data;
        this.emit('icestatechange', this.iceState);
        break;
      case 'dtlsstatechange':
        this.dtlsState = n.data;
        this.emit('dtlsstatechange', this.dtlsState);
        break;
      case 'died':
        this.closeInternal();
        this.emit('close');
        this.observer.emit('close');
        break;
      default:
        break; // addressed to a transport, the other events cannot occur
    }
  }

  async connect({ dtlsParameters }: { dtlsParameters: DtlsParameters }): Promise<void> {
    if (this.closed) throw new Error('transport closed');
    if (this.connected) throw new Error('connect() already called');
    if (!dtlsParameters?.fingerprints?.length) throw new TypeError('missing dtlsParameters.fingerprints');
    this.connected = true;
    await this.router.ctx.request('transport.connect', { transportId: this.id, dtlsParameters });
  }

  /** mediasoup's restartIce(): new local ICE credentials for the client's `transport.restartIce({ iceParameters })`. */
  async restartIce(): Promise<IceParameters> {
    if (this.closed) throw new Error('transport closed');
    const { iceParameters } = await this.router.ctx.request('transport.restartIce', { transportId: this.id });
    this.iceParameters = iceParameters;
    return iceParameters;
  }

  async produce({
    kind,
    rtpParameters,
    paused = false,
    appData = {},
  }: {
    kind: MediaKind;
    rtpParameters: RtpParameters;
    paused?: boolean;
    appData?: AppData;
  }): Promise<Producer> {
    if (this.closed) throw new Error('transport closed');
    if (kind !== 'audio' && kind !== 'video') throw new TypeError(`invalid kind ${String(kind)}`);
    // like mediasoup: producers without a CNAME (e.g. rid-only simulcast) get the transport's
    if (rtpParameters.rtcp?.cname) this.cnameForProducers ??= rtpParameters.rtcp.cname;
    else rtpParameters = { ...rtpParameters, rtcp: { ...(rtpParameters.rtcp ?? {}), cname: (this.cnameForProducers ??= randomUUID().slice(0, 8)) } };
    const mapping = getProducerRtpParametersMapping(rtpParameters, this.router.rtpCapabilities);
    const consumable = getConsumableRtpParameters(kind, rtpParameters, this.router.rtpCapabilities, mapping);
    const producerId = randomUUID();
    await this.router.ctx.request('transport.produce', {
      transportId: this.id,
      producerId,
      kind,
      rtpParameters,
      mapping,
      paused,
    });
    const p = new Producer(this, producerId, kind, rtpParameters, consumable, mapping, paused, appData);
    this.producers.set(p.id, p);
    this.router.producers.set(p.id, p);
    this.emit('newproducer', p);
    this.observer.emit('newproducer', p);
    return p;
  }

  async consume({
    producerId,
    rtpCapabilities,
    paused = false,
    preferredLayers,
    appData = {},
  }: {
    producerId: string;
    rtpCapabilities: RtpCapabilities;
    paused?: boolean;
    preferredLayers?: ConsumerLayers;
    appData?: AppData;
  }): Promise<Consumer> {
    if (this.closed) throw new Error('transport closed');
    const producer = this.router.producers.get(producerId);
    if (!producer || producer.closed) throw new Error(`producer ${producerId} not found`);
    if (!ortcCanConsume(producer.consumableRtpParameters, rtpCapabilities)) throw new Error('cannot consume: incompatible rtpCapabilities');
    const rtpParameters = getConsumerRtpParameters(producer.consumableRtpParameters, rtpCapabilities);
    rtpParameters.mid = String(this.nextMid++);
    const consumerId = randomUUID();
    const res = await this.router.ctx.request('transport.consume', {
      transportId: this.id,
      consumerId,
      producerId,
      rtpParameters,
      paused,
      preferredSpatialLayer: preferredLayers?.spatialLayer,
    });
    if (producer.closed) {
      this.router.ctx.send('consumer.close', { consumerId });
      throw new Error(`producer ${producerId} closed`);
    }
    const c = new Consumer(this, consumerId, producer, rtpParameters, paused, res.producerPaused, appData);
    this.consumers.set(c.id, c);
    producer.consumers.add(c);
    this.emit('newconsumer', c);
    this.observer.emit('newconsumer', c);
    return c;
  }

  async getStats(): Promise<TransportStats[]> {
    return await this.router.ctx.request('transport.getStats', { transportId: this.id });
  }

  close() {
    if (this.closed) return;
    this.closeInternal();
    this.router.ctx.send('transport.close', { transportId: this.id });
    this.emit('close');
    this.observer.emit('close');
  }

  /** @internal */
  routerClosed() {
    if (this.closed) return;
    this.closeInternal();
    this.emit('routerclose');
    this.observer.emit('close');
  }

  private closeInternal() {
    this.closed = true;
    this.dtlsState = 'closed';
    this.router.ctx.unregister(this.id);
    this.router.transports.delete(this.id);
    for (const c of [...this.consumers.values()]) c.transportClosed();
    for (const p of [...this.producers.values()]) p.transportClosed();
  }
}

export { Producer, type ProducerEvents } from './Producer';
export { Consumer, type ConsumerEvents } from './Consumer';
