/**
 * The media rows of protocol §2 over a MediaPort: one router per room (created on first use,
 * closed when the room empties), send/recv transports per session, producers announced to the
 * room (`newProducer` / `producerClosed`), consumers start paused.
 */
import type { Logger } from 'pino';
import { CodedError, Codes, SignalingCodes } from '../../../shared/codes';
import type { AnyChatSdk, ClientState, MediaControl, Session } from '../../sdk';
import { OrtcError } from '../../media/ortc';
import type { IceParameters, RtpCapabilities } from '../../media/types';
import type { MediaData } from './mediaSchemas';
import type { MediaPort, PortConsumer, PortProducer, PortRouter, PortTransport } from './MediaPort';

interface Peer {
  userId: number;
  roomId: number;
  transports: Map<string, PortTransport>;
  producers: Map<string, PortProducer>;
  consumers: Map<string, PortConsumer>;
  /** Kinds an operator muted: their producers stay paused and the user cannot resume them. */
  mutedByOperator: Set<'audio' | 'video'>;
}

/** The media rows a cluster node forwards to the node that owns the caller's room. */
export type MediaRowName =
  | 'getRouterRtpCapabilities'
  | 'createWebRtcTransport'
  | 'connectWebRtcTransport'
  | 'restartIce'
  | 'produce'
  | 'consume'
  | 'resumeConsumer'
  | 'pauseProducer'
  | 'resumeProducer'
  | 'closeProducer';

/**
 * A cluster's way to the node that owns a room's media (docs/cluster.md): the client keeps its
 * socket to its own node, and its transports are the owning node's (with that node's address).
 */
export interface MediaForwarder {
  /** The node owning the room's media; null when it is this one. */
  ownerOf(roomId: number): Promise<string | null>;
  forward(node: string, row: MediaRowName | 'announceExisting', userId: number, data: unknown): Promise<unknown>;
}

export class MediaRequests implements MediaControl {
  /** Set on a cluster node: rows for a room another node owns run there. */
  forwarder: MediaForwarder | null = null;
  private readonly routers = new Map<number, Promise<PortRouter>>();
  private readonly peers = new Map<number, Peer>();
  /** Settled routers by room, and rooms by router id (console views, stats). */
  private readonly roomByRouterId = new Map<string, number>();
  private readonly producerListeners = new Set<(roomId: number) => void>();

  private qualityTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly port: MediaPort,
    private readonly sdk: AnyChatSdk,
    private readonly logger: Logger,
    /** How often each publishing member's network quality is pushed to its room (0 = never). */
    private readonly qualityIntervalMs = 5000,
  ) {
    if (qualityIntervalMs > 0) {
      this.qualityTimer = setInterval(() => void this.pushNetworkQuality(), qualityIntervalMs);
      this.qualityTimer.unref();
    }
  }

  /**
   * NIM NetStatus: for each member that publishes, the worst loss and round-trip time over its
   * producers (the media node's receive statistics) as a quality level 0 (very good) … 4 (very bad),
   * pushed to the member's room.
   */
  async pushNetworkQuality(): Promise<void> {
    for (const peer of [...this.peers.values()]) {
      const producers = [...peer.producers.values()].filter((p) => p.getStats);
      if (producers.length === 0) continue;
      let loss = 0;
      let rtt = 0;
      try {
        for (const p of producers) {
          for (const s of await p.getStats!()) {
            loss = Math.max(loss, s.fractionLost ?? 0);
            rtt = Math.max(rtt, s.roundTripTime ?? 0);
          }
        }
      } catch {
        continue; // closed meanwhile
      }
      if (this.peers.get(peer.userId) !== peer) continue;
      this.sdk.pushToRoom(peer.roomId, 'networkQuality', {
        roomId: peer.roomId,
        userId: peer.userId,
        quality: qualityLevel(loss, rtt),
        lossRate: +loss.toFixed(3),
        rttMs: rtt || null,
      });
    }
  }

  /** Runs a media row here or, in a cluster, on the node that owns the caller's room. */
  async run(st: ClientState, row: MediaRowName, data: unknown): Promise<unknown> {
    const s = this.sdk.client.need(st);
    if (this.forwarder && s.roomId !== null) {
      const owner = await this.forwarder.ownerOf(s.roomId);
      if (owner !== null) return this.forwarder.forward(owner, row, s.userId, data);
    }
    return this.runHere(st, row, data);
  }

  /** Runs a media row on this node's media (also for a user of another node: `st` holds its replica session). */
  runHere(st: ClientState, row: MediaRowName, data: unknown): Promise<unknown> {
    return (this[row] as (st: ClientState, d: unknown) => Promise<unknown>).call(this, st, data);
  }

  /** The caller's session, peer and room router (every media row needs a room). */
  private async scope(st: ClientState): Promise<{ s: Session; peer: Peer; router: PortRouter }> {
    const s = this.sdk.client.need(st);
    if (s.roomId === null) throw new CodedError(SignalingCodes.NOT_IN_ROOM, 'enter a room first');
    const peer = this.peerOf(s.userId, s.roomId);
    return { s, peer, router: await this.routerOf(s.roomId) };
  }

  async getRouterRtpCapabilities(st: ClientState): Promise<RtpCapabilities> {
    return (await this.scope(st)).router.rtpCapabilities;
  }

  async createWebRtcTransport(st: ClientState, d: MediaData<'createWebRtcTransport'>) {
    const { s, peer, router } = await this.scope(st);
    const t = await router.createWebRtcTransport({ appData: { userId: s.userId, direction: d.direction } });
    peer.transports.set(t.id, t);
    return { id: t.id, iceParameters: t.iceParameters, iceCandidates: t.iceCandidates, dtlsParameters: t.dtlsParameters };
  }

  async connectWebRtcTransport(st: ClientState, d: MediaData<'connectWebRtcTransport'>): Promise<Record<string, never>> {
    const { peer } = await this.scope(st);
    await this.transport(peer, d.transportId).connect({ dtlsParameters: d.dtlsParameters });
    return {};
  }

  async restartIce(st: ClientState, d: MediaData<'restartIce'>): Promise<{ iceParameters: IceParameters }> {
    const { peer } = await this.scope(st);
    const t = this.transport(peer, d.transportId);
    return { iceParameters: await t.restartIce() };
  }

  async produce(st: ClientState, d: MediaData<'produce'>): Promise<{ id: string }> {
    const { s, peer } = await this.scope(st);
    const t = this.transport(peer, d.transportId);
    await this.sdk.client.prepareProduce(st, d.kind);
    const p = await refusedAsBadRequest(t.produce({ kind: d.kind, rtpParameters: d.rtpParameters, appData: { ...d.appData, userId: s.userId } }));
    peer.producers.set(p.id, p);
    p.on?.('transportclose', () => {
      if (!peer.producers.delete(p.id)) return;
      this.sdk.pushToRoom(peer.roomId, 'producerClosed', { producerId: p.id, userId: peer.userId, kind: p.kind });
      this.producersChanged(peer.roomId);
    });
    // A new producer of a kind an operator muted starts paused.
    if (peer.mutedByOperator.has(d.kind)) await p.pause();
    this.sdk.pushToRoom(peer.roomId, 'newProducer', { producerId: p.id, userId: s.userId, kind: d.kind }, s.userId);
    this.producersChanged(peer.roomId);
    return { id: p.id };
  }

  async consume(st: ClientState, d: MediaData<'consume'>) {
    const { s, peer, router } = await this.scope(st);
    const t = this.transport(peer, d.transportId);
    const { producerId, rtpCapabilities } = d;
    if (!router.canConsume({ producerId, rtpCapabilities })) throw new CodedError(Codes.BAD_REQUEST, 'cannot consume this producer with these capabilities');
    const c = await refusedAsBadRequest(t.consume({ producerId, rtpCapabilities, paused: true }));
    peer.consumers.set(c.id, c);
    c.on?.('layerschange', (layers) =>
      s.link.push('consumerLayersChanged', {
        consumerId: c.id,
        producerId,
        spatialLayer: layers?.spatialLayer ?? null,
        temporalLayer: layers ? (layers.temporalLayer ?? 0) : null,
        ...(layers ? {} : { reason: 'bandwidth' as const }),
      }),
    );
    return { id: c.id, producerId, kind: c.kind, rtpParameters: c.rtpParameters };
  }

  async resumeConsumer(st: ClientState, d: MediaData<'resumeConsumer'>): Promise<Record<string, never>> {
    const { peer } = await this.scope(st);
    const c = peer.consumers.get(d.consumerId);
    if (!c) throw new CodedError(Codes.NOT_FOUND, 'no such consumer');
    await c.resume();
    return {};
  }

  async pauseProducer(st: ClientState, d: MediaData<'pauseProducer'>): Promise<Record<string, never>> {
    const { peer } = await this.scope(st);
    const p = this.producer(peer, d.producerId);
    await p.pause();
    // NIM seed: the others see a member mute or unmute its camera or microphone.
    this.sdk.pushToRoom(peer.roomId, 'producerPaused', { producerId: p.id, userId: peer.userId, kind: p.kind }, peer.userId);
    this.producersChanged(peer.roomId);
    return {};
  }

  async resumeProducer(st: ClientState, d: MediaData<'resumeProducer'>): Promise<Record<string, never>> {
    const { peer } = await this.scope(st);
    const p = this.producer(peer, d.producerId);
    if (peer.mutedByOperator.has(p.kind))
      throw new CodedError(Codes.FORBIDDEN, `your ${p.kind === 'audio' ? 'microphone' : 'camera'} was muted by an operator`);
    await p.resume();
    this.sdk.pushToRoom(peer.roomId, 'producerResumed', { producerId: p.id, userId: peer.userId, kind: p.kind }, peer.userId);
    this.producersChanged(peer.roomId);
    return {};
  }

  async closeProducer(st: ClientState, d: MediaData<'closeProducer'>): Promise<Record<string, never>> {
    const { peer } = await this.scope(st);
    this.dropProducer(peer, this.producer(peer, d.producerId));
    return {};
  }

  /** Right after enterRoom: `newProducer` for every producer already in the room (wherever its media is). */
  announceExisting(st: ClientState, roomId: number): void {
    const fwd = this.forwarder;
    const userId = st.session?.userId;
    if (!fwd || userId === undefined) return this.announceHere(st, roomId);
    fwd
      .ownerOf(roomId)
      .then((owner) => (owner === null ? this.announceHere(st, roomId) : fwd.forward(owner, 'announceExisting', userId, { roomId })))
      .catch((err: Error) => this.logger.warn({ err: err.message, roomId, userId }, 'existing producers could not be announced'));
  }

  /** `newProducer` for every producer this node's media has in the room. */
  announceHere(st: ClientState, roomId: number): void {
    const s = st.session;
    if (!s) return;
    for (const peer of this.peers.values()) {
      if (peer.roomId !== roomId || peer.userId === s.userId) continue;
      for (const p of peer.producers.values()) s.link.push('newProducer', { producerId: p.id, userId: peer.userId, kind: p.kind });
    }
  }

  /** The room's router, created on first use (the console's live preview consumes from it). */
  routerOfRoom(roomId: number): Promise<PortRouter> {
    return this.routerOf(roomId);
  }

  /** Every producer in a room, with its user (console room view). */
  producersOfRoom(roomId: number): { producerId: string; userId: number; kind: 'audio' | 'video'; paused: boolean; operatorMuted: boolean }[] {
    const out = [];
    for (const peer of this.peers.values()) {
      if (peer.roomId !== roomId) continue;
      for (const p of peer.producers.values())
        out.push({ producerId: p.id, userId: peer.userId, kind: p.kind, paused: p.paused ?? false, operatorMuted: peer.mutedByOperator.has(p.kind) });
    }
    return out;
  }

  roomOfRouterId(routerId: string): number | null {
    return this.roomByRouterId.get(routerId) ?? null;
  }

  /** Calls `listener(roomId)` whenever a room's producers come, go, pause or resume. */
  onRoomProducers(listener: (roomId: number) => void): () => void {
    this.producerListeners.add(listener);
    return () => this.producerListeners.delete(listener);
  }

  private producersChanged(roomId: number): void {
    for (const l of this.producerListeners) {
      try {
        l(roomId);
      } catch (err) {
        this.logger.error({ err }, 'room producers listener failed');
      }
    }
  }

  routerOfUser(userId: number): Promise<PortRouter> | null {
    const peer = this.peers.get(userId);
    return peer ? (this.routers.get(peer.roomId) ?? null) : null;
  }

  producerIdsOf(userId: number): string[] {
    return [...(this.peers.get(userId)?.producers.keys() ?? [])];
  }

  /**
   * Operator remote mute: pauses (or resumes) the user's producers of `kind` in the SFU, so
   * nobody receives them whatever the client does, and tells the user (`mediaMuted`). While
   * muted, the user's own resume is refused. Returns false when the user has no media peer.
   */
  async muteUser(userId: number, kind: 'audio' | 'video', muted: boolean): Promise<boolean> {
    const peer = this.peers.get(userId);
    if (!peer) return false;
    if (muted) peer.mutedByOperator.add(kind);
    else peer.mutedByOperator.delete(kind);
    for (const p of peer.producers.values()) {
      if (p.kind !== kind) continue;
      if (muted) await p.pause();
      else await p.resume();
      // The others see it like a member's own mute (producerPaused / producerResumed).
      this.sdk.pushToRoom(peer.roomId, muted ? 'producerPaused' : 'producerResumed', { producerId: p.id, userId, kind: p.kind }, userId);
    }
    this.sdk.pushToUser(userId, 'mediaMuted', { kind, muted, by: 'operator' });
    this.producersChanged(peer.roomId);
    return true;
  }

  /** Kinds an operator muted for this user (console view). */
  mutedKindsOf(userId: number): ('audio' | 'video')[] {
    return [...(this.peers.get(userId)?.mutedByOperator ?? [])];
  }

  closeUserProducers(userId: number): void {
    const peer = this.peers.get(userId);
    if (!peer) return;
    for (const p of [...peer.producers.values()]) this.dropProducer(peer, p);
  }

  releaseUser(userId: number): void {
    const peer = this.peers.get(userId);
    if (!peer) return;
    this.closeUserProducers(userId);
    for (const c of peer.consumers.values()) c.close();
    for (const t of peer.transports.values()) t.close();
    this.peers.delete(userId);
    if (![...this.peers.values()].some((p) => p.roomId === peer.roomId)) {
      const r = this.routers.get(peer.roomId);
      this.routers.delete(peer.roomId);
      void r
        ?.then((router) => {
          if (router.id) this.roomByRouterId.delete(router.id);
          router.close();
        })
        .catch(() => undefined);
    }
  }

  close(): void {
    if (this.qualityTimer) clearInterval(this.qualityTimer);
    this.qualityTimer = null;
    for (const uid of [...this.peers.keys()]) this.releaseUser(uid);
  }

  private dropProducer(peer: Peer, p: PortProducer): void {
    peer.producers.delete(p.id);
    p.close();
    this.sdk.pushToRoom(peer.roomId, 'producerClosed', { producerId: p.id, userId: peer.userId, kind: p.kind });
    this.producersChanged(peer.roomId);
  }

  private peerOf(userId: number, roomId: number): Peer {
    let p = this.peers.get(userId);
    if (p && p.roomId !== roomId) {
      this.releaseUser(userId);
      p = undefined;
    }
    if (!p) {
      p = { userId, roomId, transports: new Map(), producers: new Map(), consumers: new Map(), mutedByOperator: new Set() };
      this.peers.set(userId, p);
    }
    return p;
  }

  private routerOf(roomId: number): Promise<PortRouter> {
    let r = this.routers.get(roomId);
    if (!r) {
      r = this.port.createRouter().then(
        (router) => {
          if (router.id) this.roomByRouterId.set(router.id, roomId);
          return router;
        },
        (err) => {
          this.routers.delete(roomId);
          this.logger.error({ err, roomId }, 'router creation failed');
          throw new CodedError(SignalingCodes.MEDIA_UNAVAILABLE, 'media node unavailable');
        },
      );
      this.routers.set(roomId, r);
    }
    return r;
  }

  private transport(peer: Peer, id: string): PortTransport {
    const t = peer.transports.get(id);
    if (!t) throw new CodedError(Codes.NOT_FOUND, 'no such transport');
    // The node closes a transport on its own (ICE consent timeout, DTLS failure): for the client that
    // is a gone transport (restart or produce on it → 900404), not a server error.
    if (t.closed) {
      peer.transports.delete(id);
      throw new CodedError(Codes.NOT_FOUND, 'transport closed by the media node: create a new one');
    }
    return t;
  }

  private producer(peer: Peer, id: string): PortProducer {
    const p = peer.producers.get(id);
    if (!p) throw new CodedError(Codes.NOT_FOUND, 'no such producer');
    return p;
  }
}

/** ORTC refusing what a client offered is the client's mistake: 900400 naming the field, not 900500. */
async function refusedAsBadRequest<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof OrtcError) throw new CodedError(Codes.BAD_REQUEST, err.message, { field: err.field });
    throw err;
  }
}

/** NIM's five network-status levels from loss (0–1) and round-trip time (ms; 0 = unknown). */
export function qualityLevel(loss: number, rttMs: number): 0 | 1 | 2 | 3 | 4 {
  if (loss < 0.02 && rttMs < 150) return 0;
  if (loss < 0.05 && rttMs < 300) return 1;
  if (loss < 0.1 && rttMs < 500) return 2;
  if (loss < 0.2 && rttMs < 1000) return 3;
  return 4;
}
