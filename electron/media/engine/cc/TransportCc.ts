/**
 * A transport's congestion control, both ways (its Transport only forwards to it):
 * - **uplink**: transport-wide sequence numbers of what the peer sends → transport-cc feedback
 *   every `TWCC_FEEDBACK_INTERVAL_MS`, so the browser estimates its own send rate;
 * - **downlink**: every packet sent to a consumer that negotiated transport-cc is stamped with
 *   the transport's next sequence number; the peer's feedback drives a `DownlinkEstimator`, and
 *   a `LayerAllocator` splits the estimate across the transport's simulcast consumers.
 */
import { performance } from 'node:perf_hooks';
import type { RtcpPacket, RtpPacket } from 'werift';
import { EXT } from '../../ortc';
import type { RtpParameters } from '../../types';
import { SERVER_SSRC } from '../tuning';
import { DownlinkEstimator } from './DownlinkEstimator';
import { LayerAllocator, type AllocatableConsumer } from './LayerAllocator';
import { TransportCcFeedback } from './TransportCcFeedback';
import { rawRtcp, twccResults, type ParsedTwcc } from './twccPacket';

/** Re-allocating on every feedback (~10/s) would only add churn. */
const ALLOCATE_INTERVAL_MS = 200;

/** A consumer's part in the downlink split. */
export type CcShare = { kind: 'simulcast'; consumer: AllocatableConsumer } | { kind: 'fixed'; bps: number };

/** What the allocator needs of a consumer. */
export interface CcConsumer {
  readonly id: string;
  /** null when it takes no part (paused, audio, no transport-cc) */
  ccShare(now: number): CcShare | null;
  /** the highest spatial layer the downlink allows it (-1: none fits, pause its video) */
  applyAllowedLayer(layer: number, now: number): void;
}

/** The header-extension id of transport-cc in these parameters, if negotiated. */
export function transportCcExtId(params: RtpParameters): number | undefined {
  return params.headerExtensions?.find((e) => e.uri === EXT.TRANSPORT_CC)?.id;
}

export class TransportCc {
  private readonly uplink = new TransportCcFeedback(SERVER_SSRC);
  private uplinkExtId: number | undefined;
  private uplinkMediaSsrc = 0;
  readonly downlink = new DownlinkEstimator();
  private readonly allocator = new LayerAllocator();
  private lastAllocateAt = 0;

  constructor(
    private readonly sendRtcp: (packets: RtcpPacket[]) => void,
    private readonly consumers: () => Iterable<CcConsumer>,
  ) {}

  /** A producer on this transport: if it stamps transport-wide sequence numbers, the uplink feedback starts. */
  onProducer(params: RtpParameters, mediaSsrc: number | undefined): void {
    const id = transportCcExtId(params);
    if (id === undefined) return;
    this.uplinkExtId = id;
    if (mediaSsrc !== undefined && this.uplinkMediaSsrc === 0) this.uplinkMediaSsrc = mediaSsrc;
  }

  /** Whether the peer's packets carry transport-wide sequence numbers (then REMB is not needed). */
  get uplinkActive(): boolean {
    return this.uplinkExtId !== undefined;
  }

  onRtp(packet: RtpPacket): void {
    const id = this.uplinkExtId;
    if (id === undefined) return;
    const ext = packet.header.extensions.find((e) => e.id === id);
    if (!ext || ext.payload.length < 2) return;
    if (this.uplinkMediaSsrc === 0) this.uplinkMediaSsrc = packet.header.ssrc;
    this.uplink.onPacket(ext.payload.readUInt16BE(0), performance.now());
  }

  /**
   * Writes the next transport-wide sequence number into an outgoing packet's extension payload, in
   * place (the packet is serialized synchronously right after; a resend writes a fresh number).
   */
  stamp(extPayload: Buffer, size: number): void {
    extPayload.writeUInt16BE(this.downlink.onSend(size, performance.now()), 0);
  }

  onFeedback(fb: ParsedTwcc): void {
    const now = performance.now();
    this.downlink.onFeedback(twccResults(fb), now);
    if (now - this.lastAllocateAt >= ALLOCATE_INTERVAL_MS) this.allocate(Date.now());
  }

  /** Every feedback interval: what arrived since the last one, back to the sender. */
  sendUplinkFeedback(): void {
    if (this.uplinkExtId === undefined) return;
    const packets = this.uplink.build(this.uplinkMediaSsrc);
    if (packets.length) this.sendRtcp(packets.map(rawRtcp));
  }

  /** The estimate once the viewer has sent feedback; undefined before (or without transport-cc). */
  get estimatedBps(): number | undefined {
    return this.downlink.feedbackCount > 0 ? Math.round(this.downlink.bps) : undefined;
  }

  /** Splits the estimate across the simulcast consumers (after any fixed-rate video is taken out). */
  allocate(now: number): void {
    this.lastAllocateAt = performance.now();
    if (this.downlink.feedbackCount === 0) return;
    let budget = this.downlink.bps;
    let fixed = 0;
    const sims: AllocatableConsumer[] = [];
    const byId = new Map<string, CcConsumer>();
    for (const c of this.consumers()) {
      const share = c.ccShare(now);
      if (!share) continue;
      if (share.kind === 'fixed') {
        budget -= share.bps;
        fixed += share.bps;
        continue;
      }
      sims.push(share.consumer);
      byId.set(c.id, c);
    }
    if (sims.length) for (const [id, layer] of this.allocator.allocate(budget, sims, now)) byId.get(id)?.applyAllowedLayer(layer, now);
    this.downlink.desiredBps = fixed + (sims.length ? this.allocator.wantBps : 0);
    this.downlink.onIdle(performance.now());
  }
}
