/**
 * The media engine: the data plane that runs inside a media worker (or in-process for tests).
 * It owns ICE-lite/DTLS/SRTP transports (werift building blocks) and forwards RTP between
 * producers and consumers. It knows nothing about signaling: every object is created by the
 * main thread, which has already negotiated parameters (see ../ortc.ts). Requests arrive typed
 * by method (./protocol.ts) and are served from one handler table.
 */
import { performance } from 'node:perf_hooks';
import { Recording } from '../recorder/Recording';
import { RtpForwarder } from '../recorder/RtpForwarder';
import type { Consumer } from './Consumer';
import { Producer } from './Producer';
import type { EngineData, EngineMethod, EngineResult, EngineSettings } from './protocol';
import { Router } from './Router';
import { SimpleConsumer } from './SimpleConsumer';
import { SimulcastConsumer } from './SimulcastConsumer';
import { Transport } from './Transport';
import type { EngineLog, EngineScope, Notify } from './types';

export type { EngineLog, Notify } from './types';

type Handlers = { [M in EngineMethod]: (data: EngineData<M>) => EngineResult<M> | Promise<EngineResult<M>> };

/** Keeps every entity of one kind by id; an entity leaves when it emits close. */
class Registry<T extends { readonly id: string; once(event: 'close', fn: () => void): unknown }> {
  private readonly items = new Map<string, T>();
  constructor(private readonly what: string) {}
  add(item: T) {
    this.items.set(item.id, item);
    item.once('close', () => this.items.delete(item.id));
  }
  find(id: string): T | undefined {
    return this.items.get(id);
  }
  get(id: string): T {
    const item = this.items.get(id);
    if (!item) throw new Error(`${this.what} ${id} not found`);
    return item;
  }
  values() {
    return this.items.values();
  }
  get size() {
    return this.items.size;
  }
}

export class Engine implements EngineScope {
  private readonly routers = new Registry<Router>('router');
  private readonly transports = new Registry<Transport>('transport');
  private readonly producers = new Registry<Producer>('producer');
  private readonly consumers = new Registry<Consumer>('consumer');
  private readonly recordings = new Map<string, { recording: Recording; router: Router }>();
  private readonly forwarders = new Map<string, { forwarder: RtpForwarder; router: Router }>();
  readonly counters = { rtpIn: 0, rtpOut: 0 };

  constructor(
    readonly settings: EngineSettings,
    readonly notify: Notify,
    readonly log: EngineLog = () => {},
  ) {}

  handle<M extends EngineMethod>(method: M, data: EngineData<M>): Promise<EngineResult<M>> {
    const handler = this.handlers[method] as ((d: EngineData<M>) => EngineResult<M> | Promise<EngineResult<M>>) | undefined;
    if (!handler) return Promise.reject(new Error(`unknown method ${String(method)}`));
    try {
      return Promise.resolve(handler(data));
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }

  private readonly handlers: Handlers = {
    'router.create': ({ routerId }) => {
      this.routers.add(new Router(this, routerId));
      return {};
    },
    'router.close': ({ routerId }) => {
      this.routers.find(routerId)?.close();
      return {};
    },
    'router.createWebRtcTransport': async ({ routerId, transportId }) => {
      const router = this.routers.get(routerId);
      const t = new Transport(this, transportId);
      await t.init(this.settings);
      router.addTransport(t);
      this.transports.add(t);
      return { iceParameters: t.iceParameters, iceCandidates: t.iceCandidates, dtlsParameters: t.dtlsParameters };
    },
    'transport.connect': ({ transportId, dtlsParameters }) => {
      this.transports.get(transportId).connect(dtlsParameters);
      return {};
    },
    'transport.restartIce': ({ transportId }) => ({ iceParameters: this.transports.get(transportId).restartIce() }),
    'transport.close': ({ transportId }) => {
      this.transports.find(transportId)?.close();
      return {};
    },
    'transport.getStats': ({ transportId }) => [this.transports.get(transportId).stats()],
    'transport.produce': ({ transportId, producerId, kind, rtpParameters, mapping, paused }) => {
      const t = this.transports.get(transportId);
      const router = this.routerOf(t);
      const p = new Producer(this, t, producerId, kind, rtpParameters, mapping, paused);
      t.addProducer(p);
      router.addProducer(p);
      this.producers.add(p);
      return {};
    },
    'transport.consume': ({ transportId, consumerId, producerId, rtpParameters, paused, preferredSpatialLayer }) => {
      const t = this.transports.get(transportId);
      const p = this.producers.get(producerId);
      const c =
        p.kind === 'video' && p.streams.length > 1
          ? new SimulcastConsumer(this, t, consumerId, p, rtpParameters, paused, preferredSpatialLayer)
          : new SimpleConsumer(this, t, consumerId, p, rtpParameters, paused);
      p.addConsumer(c);
      t.addConsumer(c);
      this.consumers.add(c);
      if (!paused && t.state === 'connected') c.onTransportConnected();
      return { producerPaused: p.paused };
    },
    'producer.pause': ({ producerId }) => {
      this.producers.get(producerId).pause();
      return {};
    },
    'producer.resume': ({ producerId }) => {
      this.producers.get(producerId).resume();
      return {};
    },
    'producer.close': ({ producerId }) => {
      this.producers.find(producerId)?.close();
      return {};
    },
    'producer.getStats': ({ producerId }) => this.producers.get(producerId).stats(),
    'consumer.pause': ({ consumerId }) => {
      this.consumers.get(consumerId).pause();
      return {};
    },
    'consumer.resume': ({ consumerId }) => {
      this.consumers.get(consumerId).resume();
      return {};
    },
    'consumer.close': ({ consumerId }) => {
      this.consumers.find(consumerId)?.close();
      return {};
    },
    'consumer.getStats': ({ consumerId }) => this.consumers.get(consumerId).stats(),
    'consumer.setPreferredLayers': ({ consumerId, spatialLayer }) => {
      this.consumers.get(consumerId).setPreferredLayers(spatialLayer);
      return {};
    },
    'consumer.requestKeyFrame': ({ consumerId }) => {
      this.consumers.get(consumerId).requestKeyFrame();
      return {};
    },
    'recorder.start': async ({ recordingId, routerId, producerIds, flags, fileBaseName }) => {
      const router = this.routers.get(routerId);
      const producers = producerIds.map((id) => this.producers.get(id));
      const recording = new Recording(recordingId, producers, flags, this.settings.recordingsDir, fileBaseName, (err) => {
        this.forgetRecording(recordingId);
        this.notify({ targetId: recordingId, event: 'recordingerror', data: { message: err.message } });
      });
      await recording.start();
      this.recordings.set(recordingId, { recording, router });
      router.addRecording(recordingId, recording);
      return recording.describe();
    },
    'recorder.stop': async ({ recordingId }) => {
      const entry = this.recordings.get(recordingId);
      if (!entry) throw new Error(`recording ${recordingId} not found`);
      this.forgetRecording(recordingId);
      return await entry.recording.stop();
    },
    'rtpout.start': ({ forwardId, routerId, targets }) => {
      const router = this.routers.get(routerId);
      const forwarder = new RtpForwarder(
        forwardId,
        targets.map((t) => this.producers.get(t.producerId)),
        targets,
      );
      forwarder.start();
      this.forwarders.set(forwardId, { forwarder, router });
      router.addRecording(forwardId, forwarder);
      return {};
    },
    'rtpout.requestKeyFrame': ({ forwardId }) => {
      this.forwarderOf(forwardId).requestKeyFrame();
      return {};
    },
    'rtpout.stats': ({ forwardId }) => this.forwarderOf(forwardId).stats(),
    'rtpout.stop': async ({ forwardId }) => {
      const entry = this.forwarders.get(forwardId);
      if (!entry) return {};
      this.forwarders.delete(forwardId);
      entry.router.recordings.delete(forwardId);
      return await entry.forwarder.stop();
    },
    'engine.dump': () => ({
      routers: this.routers.size,
      transports: this.transports.size,
      producers: this.producers.size,
      consumers: this.consumers.size,
      recordings: this.recordings.size,
      rtpIn: this.counters.rtpIn,
      rtpOut: this.counters.rtpOut,
      elu: (({ idle, active }) => ({ idle, active }))(performance.eventLoopUtilization()),
    }),
    'engine.crash': () => {
      setImmediate(() => {
        throw new Error('engine.crash requested');
      });
      return {};
    },
  };

  private routerOf(t: Transport): Router {
    for (const r of this.routers.values()) if (r.transports.get(t.id) === t) return r;
    throw new Error(`transport ${t.id} has no router`);
  }

  private forwarderOf(forwardId: string): RtpForwarder {
    const entry = this.forwarders.get(forwardId);
    if (!entry) throw new Error(`rtp forward ${forwardId} not found`);
    return entry.forwarder;
  }

  private forgetRecording(recordingId: string) {
    const entry = this.recordings.get(recordingId);
    if (!entry) return;
    this.recordings.delete(recordingId);
    entry.router.recordings.delete(recordingId);
  }

  close() {
    for (const r of [...this.routers.values()]) r.close();
  }
}
