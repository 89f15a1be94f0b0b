/**
 * The demo page's media in one room, with mediasoup-client. Two modes:
 *  - `room`: follows the public mic (seed §8.3 steps 3–4). The page publishes camera + microphone
 *    while it holds a seat and stops when it loses it; it consumes the users on a seat (micState +
 *    newProducer) and drops them when they leave it (producerClosed / micState). Interactive
 *    members may also turn their camera on by hand without a seat (the server allows it), and
 *    those producers are consumed too; audience members cannot produce without a seat (900920).
 *  - `call`: a call room (seed §6) — publish on entry, consume the other party.
 * Notifications only record state; the work runs in one serial chain, so notifications that
 * arrive during set-up are applied in order once the device is ready.
 */
import { Device } from 'mediasoup-client';
import type { Consumer, IceParameters, Producer, RtpCapabilities, Transport } from 'mediasoup-client/types';
import type { AnyChatClient, MicState, RoomRole, RoomUser } from '../../shared/client';
import { seatedUsers } from './micView';

export type MediaMode = 'room' | 'call';

export interface RemoteTrack {
  producerId: string;
  userId: number;
  kind: 'audio' | 'video';
  stream: MediaStream;
}

export interface MediaView {
  remote: RemoteTrack[];
  local: MediaStream | null;
  mic: MicState | null;
  /** This page's audio producer is paused (the `micMute` button). */
  micMuted: boolean;
}

/** A `producerClosed` notification as this page received it (the debug hook's log). */
export interface ClosedProducer {
  producerId: string;
  userId: number;
  kind: string;
}

/** What the debug hook's `state()` reports about media. */
export interface MediaSnapshot {
  roomId: number;
  mode: MediaMode;
  publishing: string[];
  micMuted: boolean;
  seated: number[];
  queue: number[];
  consuming: number[];
  errors: string[];
  producerClosed: ClosedProducer[];
}

export class DemoMedia {
  private device: Device | null = null;
  private sendT: Transport | null = null;
  private recvT: Transport | null = null;
  private stream: MediaStream | null = null;
  private readonly mine: Producer[] = [];
  private readonly consumers = new Map<string, { consumer: Consumer; userId: number; stream: MediaStream }>();
  /** Every producer announced in the room: producerId → its user. */
  private readonly producers = new Map<string, { userId: number; kind: string }>();
  private readonly roles = new Map<number, RoomRole>();
  private seated = new Set<number>();
  private mic: MicState | null = null;
  private roomId = 0;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly offs: (() => void)[] = [];
  private closed = false;
  readonly errors: string[] = [];
  /** Every `producerClosed` received in this room, in order (for the debug hook). */
  readonly producerClosed: ClosedProducer[] = [];

  /** Subscribes at once: create it before `enterRoom`, so the micState sent on entry is not missed. */
  constructor(
    private readonly client: AnyChatClient,
    readonly mode: MediaMode,
    private readonly onChange: (view: MediaView) => void,
    private readonly onError: (message: string) => void,
  ) {
    this.offs.push(
      client.on('newProducer', (p) => {
        this.producers.set(p.producerId, { userId: p.userId, kind: p.kind });
        void this.run(() => this.reconcile());
      }),
      client.on('producerClosed', (p) => {
        this.producerClosed.push({ producerId: p.producerId, userId: p.userId, kind: p.kind });
        // Forget it at once, so a consume of it that is under way is known to be moot.
        this.producers.delete(p.producerId);
        void this.run(async () => this.dropProducer(p.producerId));
      }),
      client.on('micState', (m) => this.applyMic(m)),
      client.on('userEntered', (u) => {
        this.roles.set(u.userId, u.role ?? 'interactive');
        void this.run(() => this.reconcile());
      }),
      client.on('userRoleChanged', (r) => {
        if (this.roomId && r.roomId !== this.roomId) return;
        this.roles.set(r.userId, r.role);
        void this.run(() => this.reconcile());
      }),
      client.on('userLeft', (u) => {
        if (u.userId === client.userId) return;
        this.roles.delete(u.userId);
        for (const [id, p] of [...this.producers]) {
          if (p.userId !== u.userId) continue;
          this.producers.delete(id);
          void this.run(async () => this.dropProducer(id));
        }
      }),
    );
  }

  /** After a successful enterRoom: load the device, then publish / consume per the mode. */
  start(roomId: number, users: RoomUser[]): Promise<unknown> {
    this.roomId = roomId;
    for (const u of users) this.roles.set(u.userId, u.role);
    return this.run(async () => {
      const device = new Device();
      const caps = (await this.client.request('getRouterRtpCapabilities', {})) as RtpCapabilities;
      await device.load({ routerRtpCapabilities: caps });
      if (this.closed) return;
      this.device = device;
      this.recvT = await this.transport('recv');
      if (this.mode === 'call') await this.doPublish();
      else {
        // Resynchronise: the micState pushed on entry may have raced the enterRoom answer.
        const m = await this.client.request('getMicState', {}).catch(() => null);
        if (m) this.applyMic(m);
        if (this.seated.has(this.client.userId)) await this.doPublish();
      }
      await this.reconcile();
    });
  }

  get publishing(): boolean {
    return this.mine.length > 0;
  }

  /** Camera by hand (interactive members, or anyone on a seat). */
  publish(): Promise<unknown> {
    return this.run(() => this.doPublish());
  }

  unpublish(): Promise<unknown> {
    return this.run(() => this.doUnpublish());
  }

  /** Whether this page's audio producer is paused. */
  get micMuted(): boolean {
    return this.audioProducer()?.paused ?? false;
  }

  /** Pauses / resumes only the audio producer (locally and on the server); video keeps flowing. */
  setMicMuted(muted: boolean): Promise<unknown> {
    return this.run(async () => {
      const p = this.audioProducer();
      if (!p || p.paused === muted) return;
      const flip = (m: boolean) => (m ? p.pause() : p.resume());
      flip(muted);
      this.changed();
      try {
        await this.client.request(muted ? 'pauseProducer' : 'resumeProducer', { producerId: p.id });
      } catch (err) {
        if (!p.closed) flip(!muted); // the server did not follow: show what is really sent
        this.changed();
        throw err;
      }
    });
  }

  /** framesDecoded per remote user, over the video consumers open now (the page's debug hook). */
  async stats(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const { consumer, userId } of this.consumers.values()) {
      if (consumer.closed || consumer.kind !== 'video') continue;
      const report = await consumer.getStats();
      report.forEach((s: { type?: string; kind?: string; framesDecoded?: number }) => {
        if (s.type === 'inbound-rtp' && s.kind === 'video') out[userId] = (out[userId] ?? 0) + (s.framesDecoded ?? 0);
      });
    }
    return out;
  }

  /** Audio packetsReceived per remote user, over the audio consumers open now (the debug hook). */
  async audioStats(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const { consumer, userId } of this.consumers.values()) {
      if (consumer.closed || consumer.kind !== 'audio') continue;
      const report = await consumer.getStats();
      report.forEach((s: { type?: string; kind?: string; packetsReceived?: number }) => {
        if (s.type === 'inbound-rtp' && s.kind === 'audio') out[userId] = (out[userId] ?? 0) + (s.packetsReceived ?? 0);
      });
    }
    return out;
  }

  snapshot(): MediaSnapshot {
    return {
      roomId: this.roomId,
      mode: this.mode,
      publishing: this.mine.map((p) => p.kind).sort(),
      micMuted: this.micMuted,
      seated: [...this.seated].sort((a, b) => a - b),
      queue: this.mic?.queue ?? [],
      consuming: [...new Set([...this.consumers.values()].map((c) => c.userId))].sort((a, b) => a - b),
      errors: [...this.errors],
      producerClosed: this.producerClosed.map((p) => ({ ...p })),
    };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const off of this.offs) off();
    for (const p of this.mine.splice(0)) p.close();
    this.stream?.getTracks().forEach((t) => t.stop());
    this.stream = null;
    this.sendT?.close();
    this.recvT?.close();
    for (const c of this.consumers.values()) c.consumer.close();
    this.consumers.clear();
    this.onChange({ remote: [], local: null, mic: null, micMuted: false });
  }

  // -------------------------------------------------------------- internals

  private audioProducer(): Producer | undefined {
    return this.mine.find((p) => p.kind === 'audio' && !p.closed);
  }

  private applyMic(m: MicState): void {
    if (this.mode !== 'room' || (this.roomId && m.roomId !== this.roomId)) return;
    const wasSeated = this.seated.has(this.client.userId);
    this.mic = m;
    this.seated = seatedUsers(m);
    const isSeated = this.seated.has(this.client.userId);
    this.changed();
    void this.run(async () => {
      if (isSeated && !wasSeated) await this.doPublish();
      else if (!isSeated && wasSeated) await this.doUnpublish();
      await this.reconcile();
    });
  }

  /** Whether this page should receive `userId`'s media now. */
  private wants(userId: number): boolean {
    if (userId === this.client.userId) return false;
    if (this.mode === 'call') return true;
    return this.seated.has(userId) || this.roles.get(userId) === 'interactive';
  }

  private run(fn: () => Promise<unknown>): Promise<unknown> {
    const next = this.chain
      .then(() => (this.closed ? undefined : fn()))
      .catch((e: unknown) => {
        const code = (e as { code?: unknown }).code;
        const text = e instanceof Error ? e.message : String(e);
        const msg = typeof code === 'number' ? `error ${code}: ${text}` : text;
        if (this.closed) return;
        this.errors.push(msg);
        this.onError(msg);
      });
    this.chain = next;
    return next;
  }

  private async doPublish(): Promise<void> {
    if (!this.device || this.mine.length) return;
    this.stream ??= await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 320, height: 240, frameRate: 15 } });
    try {
      this.sendT ??= await this.transport('send');
      for (const track of this.stream.getTracks()) {
        if (this.closed) return;
        this.mine.push(await this.sendT.produce({ track, stopTracks: false }));
      }
    } catch (err) {
      // All or nothing: e.g. 900920 for an audience member without a seat.
      await this.doUnpublish();
      throw err;
    }
    this.changed();
  }

  private async doUnpublish(): Promise<void> {
    for (const p of this.mine.splice(0)) {
      p.close();
      await this.client.request('closeProducer', { producerId: p.id }).catch(() => undefined);
    }
    this.stream?.getTracks().forEach((t) => t.stop());
    this.stream = null;
    this.changed();
  }

  private async transport(direction: 'send' | 'recv'): Promise<Transport> {
    const info = (await this.client.request('createWebRtcTransport', { direction })) as Parameters<Device['createSendTransport']>[0];
    const t = direction === 'send' ? this.device!.createSendTransport(info) : this.device!.createRecvTransport(info);
    t.on('connect', ({ dtlsParameters }, ok, fail) => {
      this.client.request('connectWebRtcTransport', { transportId: t.id, dtlsParameters }).then(() => ok(), fail);
    });
    if (direction === 'send') {
      t.on('produce', ({ kind, rtpParameters, appData }, ok, fail) => {
        this.client.request('produce', { transportId: t.id, kind, rtpParameters, appData }).then((r) => ok(r as { id: string }), fail);
      });
    }
    // The path broke (network change, NAT rebinding): new ICE credentials from the node, same transport.
    t.on('connectionstatechange', (state) => {
      if ((state === 'disconnected' || state === 'failed') && !this.closed) void this.restartIce(t);
    });
    return t;
  }

  private readonly restarting = new Set<string>();

  private async restartIce(t: Transport): Promise<void> {
    if (this.restarting.has(t.id)) return;
    this.restarting.add(t.id);
    try {
      const { iceParameters } = (await this.client.request('restartIce', { transportId: t.id })) as { iceParameters: IceParameters };
      if (!t.closed) await t.restartIce({ iceParameters });
    } catch {
      // the transport or the session is gone; leaving and re-entering the room starts over
    } finally {
      this.restarting.delete(t.id);
    }
  }

  /** Consumes what is wanted and not consumed yet; drops what is consumed and no longer wanted. */
  private async reconcile(): Promise<void> {
    if (!this.device || !this.recvT) return;
    for (const [producerId, { userId }] of [...this.producers]) {
      const has = this.consumers.has(producerId);
      if (this.wants(userId) && !has) {
        try {
          await this.consume(producerId, userId);
        } catch (err) {
          if (this.producers.has(producerId)) throw err; // else: it closed meanwhile
        }
      } else if (!this.wants(userId) && has) this.dropConsumer(producerId);
    }
  }

  private async consume(producerId: string, userId: number): Promise<void> {
    const c = (await this.client.request('consume', { transportId: this.recvT!.id, producerId, rtpCapabilities: this.device!.rtpCapabilities })) as Parameters<
      Transport['consume']
    >[0];
    if (this.closed || !this.producers.has(producerId)) return;
    const consumer = await this.recvT!.consume(c);
    this.consumers.set(producerId, { consumer, userId, stream: new MediaStream([consumer.track]) });
    await this.client.request('resumeConsumer', { consumerId: consumer.id });
    this.changed();
  }

  private dropConsumer(producerId: string): void {
    const c = this.consumers.get(producerId);
    if (!c) return;
    c.consumer.close();
    this.consumers.delete(producerId);
    this.changed();
  }

  private dropProducer(producerId: string): void {
    this.producers.delete(producerId);
    this.dropConsumer(producerId);
    const i = this.mine.findIndex((p) => p.id === producerId);
    if (i >= 0) {
      this.mine.splice(i, 1)[0]!.close();
      if (!this.mine.length) {
        this.stream?.getTracks().forEach((t) => t.stop());
        this.stream = null;
      }
    }
    this.changed();
  }

  private changed(): void {
    if (this.closed) return;
    const remote = [...this.consumers].map(([producerId, { consumer, userId, stream }]) => ({
      producerId,
      userId,
      kind: consumer.kind as 'audio' | 'video',
      stream,
    }));
    this.onChange({ remote, local: this.mine.length ? this.stream : null, mic: this.mic, micMuted: this.micMuted });
  }
}
