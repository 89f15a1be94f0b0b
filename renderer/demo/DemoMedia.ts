/**
 * The demo page's media: publish camera + microphone (when the server lets this user produce),
 * consume every producer in the room (newProducer / producerClosed), with mediasoup-client.
 * Work is serialised so notifications that arrive during set-up are handled in order.
 */
import { Device } from 'mediasoup-client';
import type { Consumer, Producer, RtpCapabilities, Transport } from 'mediasoup-client/types';
import type { AnyChatClient } from '../../shared/client';

export interface RemoteTrack {
  producerId: string;
  userId: number;
  kind: 'audio' | 'video';
  stream: MediaStream;
}

export class DemoMedia {
  private device: Device | null = null;
  private sendT: Transport | null = null;
  private recvT: Transport | null = null;
  private stream: MediaStream | null = null;
  private readonly mine: Producer[] = [];
  private readonly consumers = new Map<string, { consumer: Consumer; userId: number; stream: MediaStream }>();
  private readonly known = new Map<string, number>();
  private chain: Promise<unknown> = Promise.resolve();
  private readonly offs: (() => void)[] = [];

  constructor(
    private readonly client: AnyChatClient,
    private readonly onChange: (remote: RemoteTrack[], local: MediaStream | null) => void,
    private readonly onError: (message: string) => void,
  ) {
    this.offs.push(
      client.on('newProducer', (p) => void this.run(() => this.consume(p.producerId, p.userId))),
      client.on('producerClosed', (p) => void this.run(async () => this.dropProducer(p.producerId))),
    );
  }

  /** After enterRoom: load the device and be ready to consume (notifications queued meanwhile run after). */
  start(): Promise<unknown> {
    return this.run(async () => {
      this.device = new Device();
      const caps = (await this.client.request('getRouterRtpCapabilities', {})) as RtpCapabilities;
      await this.device.load({ routerRtpCapabilities: caps });
      this.recvT = await this.transport('recv');
      for (const [producerId, userId] of this.known) await this.consume(producerId, userId);
    });
  }

  get publishing(): boolean {
    return this.mine.length > 0;
  }

  publish(): Promise<unknown> {
    return this.run(async () => {
      if (!this.device || this.mine.length) return;
      this.stream ??= await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 320, height: 240, frameRate: 15 } });
      this.sendT ??= await this.transport('send');
      for (const track of this.stream.getTracks()) this.mine.push(await this.sendT.produce({ track, stopTracks: false }));
      this.changed();
    });
  }

  unpublish(): Promise<unknown> {
    return this.run(async () => {
      for (const p of this.mine.splice(0)) {
        p.close();
        await this.client.request('closeProducer', { producerId: p.id }).catch(() => undefined);
      }
      this.stream?.getTracks().forEach((t) => t.stop());
      this.stream = null;
      this.changed();
    });
  }

  close(): void {
    for (const off of this.offs) off();
    for (const p of this.mine) p.close();
    this.stream?.getTracks().forEach((t) => t.stop());
    this.sendT?.close();
    this.recvT?.close();
    this.consumers.clear();
    this.onChange([], null);
  }

  private run(fn: () => Promise<unknown>): Promise<unknown> {
    const next = this.chain.then(fn).catch((e: unknown) => this.onError(e instanceof Error ? e.message : String(e)));
    this.chain = next;
    return next;
  }

  private async transport(direction: 'send' | 'recv'): Promise<Transport> {
    const info = (await this.client.request('createWebRtcTransport', { direction })) as Parameters<Device['createSendTransport']>[0];
    const t = direction === 'send' ? this.device!.createSendTransport(info) : this.device!.createRecvTransport(info);
    t.on('connect', ({ dtlsParameters }, ok, fail) => {
      this.client.request('connectWebRtcTransport', { transportId: t.id, dtlsParameters }).then(() => ok(), fail);
    });
    if (direction === 'send') {
      t.on('produce', ({ kind, rtpParameters, appData }, ok, fail) => {
        this.client
          .request('produce', { transportId: t.id, kind, rtpParameters, appData })
          .then((r) => ok(r as { id: string }), fail);
      });
    }
    return t;
  }

  private async consume(producerId: string, userId: number): Promise<void> {
    this.known.set(producerId, userId);
    if (!this.device || !this.recvT || this.consumers.has(producerId)) return;
    const c = (await this.client.request('consume', { transportId: this.recvT.id, producerId, rtpCapabilities: this.device.rtpCapabilities })) as Parameters<Transport['consume']>[0];
    const consumer = await this.recvT.consume(c);
    this.consumers.set(producerId, { consumer, userId, stream: new MediaStream([consumer.track]) });
    await this.client.request('resumeConsumer', { consumerId: consumer.id });
    this.changed();
  }

  private dropProducer(producerId: string): void {
    this.known.delete(producerId);
    this.consumers.get(producerId)?.consumer.close();
    this.consumers.delete(producerId);
    const i = this.mine.findIndex((p) => p.id === producerId);
    if (i >= 0) this.mine.splice(i, 1)[0].close();
    this.changed();
  }

  private changed(): void {
    const remote = [...this.consumers].map(([producerId, { consumer, userId, stream }]) => ({
      producerId,
      userId,
      kind: consumer.kind as 'audio' | 'video',
      stream,
    }));
    this.onChange(remote, this.mine.length ? this.stream : null);
  }
}
