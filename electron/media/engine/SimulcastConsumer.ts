/**
 * A consumer of a simulcast producer: forwards one of its streams (spatial layers), the best one
 * available not above the preferred layer nor above what the downlink estimate allows (see
 * cc/LayerAllocator.ts), switching only at a keyframe with continuous seq/ts. When not even the
 * lowest layer fits the downlink, its video pauses (`layerschange` null) until one fits again.
 */
import type { RtpParameters } from '../types';
import { Consumer } from './Consumer';
import type { Producer } from './Producer';
import type { CcShare } from './cc/TransportCc';
import { LAYER_ACTIVE_MS } from './tuning';
import type { EngineScope, ForwardPacket, ProducerStream, RtpSender } from './types';

export class SimulcastConsumer extends Consumer {
  /** stream being forwarded; -1 while waiting for a keyframe on the target */
  currentLayer = -1;
  targetLayer: number;
  preferredLayer: number;
  /** highest layer the downlink allows (the allocator's answer; unlimited without transport-cc) */
  allowedLayer = Number.POSITIVE_INFINITY;
  /** not even the lowest layer fits the downlink */
  bandwidthPaused = false;

  constructor(
    scope: EngineScope,
    transport: RtpSender,
    id: string,
    producer: Producer,
    rtpParameters: RtpParameters,
    paused: boolean,
    preferredSpatialLayer?: number,
  ) {
    super(scope, transport, id, producer, rtpParameters, paused);
    const maxLayer = producer.streams.length - 1;
    this.preferredLayer = Math.min(preferredSpatialLayer ?? maxLayer, maxLayer);
    this.targetLayer = this.preferredLayer;
  }

  protected override restart() {
    super.restart();
    this.currentLayer = -1;
    this.producer.requestKeyFrame(this.targetLayer);
  }

  onPacket(fp: ForwardPacket, stream: ProducerStream, now: number) {
    if (!this.active || this.bandwidthPaused) return;
    if (stream.index !== this.currentLayer) {
      // switch only onto the target layer, and only at a keyframe
      if (stream.index !== this.targetLayer || !fp.keyframe) {
        if (stream.index === this.targetLayer) this.producer.requestKeyFrame(this.targetLayer);
        return;
      }
      if (this.currentLayer !== -1) this.rewriter.resync();
      this.currentLayer = stream.index;
      this.scope.notify({ targetId: this.id, event: 'layerschange', data: { spatialLayer: stream.index, temporalLayer: 0 } });
    }
    this.forward(fp, now);
  }

  onPadding(seq: number, stream: ProducerStream) {
    if (stream.index === this.currentLayer) this.rewriter.skip(seq);
  }

  protected keyFrameLayer() {
    return this.currentLayer >= 0 ? this.currentLayer : this.targetLayer;
  }

  /** Pick the best available layer not above the preferred one nor the allowed one. */
  maybeSwitchLayer(now: number) {
    if (!this.active || this.bandwidthPaused) return;
    const avail = this.producer.activeLayers(now);
    if (avail.length === 0) return;
    const cap = Math.min(this.preferredLayer, this.allowedLayer);
    const candidates = avail.filter((l) => l <= cap);
    const target = candidates.length ? Math.max(...candidates) : Math.min(...avail);
    // only higher layers are sending: better wait than overload a downlink that cannot take them
    if (target > this.allowedLayer) return;
    if (target !== this.targetLayer || this.currentLayer !== target) {
      this.targetLayer = target;
      if (this.currentLayer !== target) this.producer.requestKeyFrame(target);
    }
  }

  setPreferredLayers(spatialLayer: number) {
    this.preferredLayer = Math.max(0, Math.min(spatialLayer, this.producer.streams.length - 1));
    this.maybeSwitchLayer(Date.now());
    if (this.targetLayer !== this.preferredLayer && this.preferredLayer <= this.allowedLayer) {
      // layer not seen yet: still aim for it
      this.targetLayer = this.preferredLayer;
      this.producer.requestKeyFrame(this.targetLayer);
    }
  }

  override ccShare(now: number): CcShare | null {
    if (!this.active || this.transportCcExtId === undefined) return null;
    const layerBitrates = this.producer.streams.map((s) => (now - s.lastPacketAt < LAYER_ACTIVE_MS ? s.stats.bitrate : 0));
    return { kind: 'simulcast', consumer: { id: this.id, layerBitrates, maxLayer: this.preferredLayer } };
  }

  override applyAllowedLayer(layer: number, now: number): void {
    if (layer < 0) {
      if (this.bandwidthPaused) return;
      this.bandwidthPaused = true;
      this.currentLayer = -1;
      this.scope.notify({ targetId: this.id, event: 'layerschange', data: null });
      return;
    }
    const resumed = this.bandwidthPaused;
    this.bandwidthPaused = false;
    this.allowedLayer = layer;
    this.maybeSwitchLayer(now);
    if (resumed) this.restart();
  }
}
