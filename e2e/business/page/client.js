// TEST-ONLY page: a client that follows the public mic (seed §8.3 steps 3–4) with the project's
// client library (shared/client) and plain mediasoup-client:
//  - mode "mic": publishes camera+mic while it holds a seat, stops when it loses it, and
//    consumes exactly the users on a seat (micState), as they publish (newProducer);
//  - mode "all" (call rooms): publishes on entry and consumes everyone.
// Calls: answers requests when autoAccept is on, enters the room of a started call, and
// records finish.
import { Device } from 'mediasoup-client';
import { AnyChatClient } from '../../../shared/client/index';

const app = {
  client: null,
  userId: 0,
  mode: 'mic',
  device: null,
  sendT: null,
  recvT: null,
  stream: null,
  myProducers: [],
  seated: new Set(),
  lastMic: null,
  producers: new Map(), // producerId -> { userId, kind }
  consumers: new Map(), // producerId -> consumer
  chain: Promise.resolve(),
  errors: [],
  callEvents: [],
  autoAccept: false,
  roomId: 0,

  run(fn) {
    this.chain = this.chain.then(fn).catch((e) => this.errors.push(String(e?.message ?? e)));
    return this.chain;
  },

  async login(wsUrl, userName, password) {
    this.client = await AnyChatClient.connect(wsUrl, (u) => new WebSocket(u));
    const me = await this.client.login(userName, password);
    this.userId = me.userId;
    const c = this.client;
    c.on('micState', (m) => this.run(() => this.onMicState(m)));
    c.on('newProducer', (p) => this.run(() => this.onNewProducer(p)));
    c.on('producerClosed', (p) => this.run(() => this.onProducerClosed(p)));
    c.on('videoCallEvent', (ev) => this.onCallEvent(ev));
    return me.userId;
  },

  /** Enter a room; media is set up before any queued notification is handled. */
  join(room, mode) {
    this.mode = mode;
    return this.run(async () => {
      const r = await this.client.enterRoom(room);
      this.roomId = r.roomId;
      this.device = new Device();
      await this.device.load({ routerRtpCapabilities: await this.client.request('getRouterRtpCapabilities', {}) });
      this.recvT = await this.transport('recv');
      if (mode === 'all') await this.publish();
      return r.roomId;
    });
  },

  async transport(direction) {
    const info = await this.client.request('createWebRtcTransport', { direction });
    const t = direction === 'send' ? this.device.createSendTransport(info) : this.device.createRecvTransport(info);
    t.on('connect', ({ dtlsParameters }, cb, eb) => this.client.request('connectWebRtcTransport', { transportId: t.id, dtlsParameters }).then(cb, eb));
    if (direction === 'send') {
      t.on('produce', ({ kind, rtpParameters, appData }, cb, eb) =>
        this.client.request('produce', { transportId: t.id, kind, rtpParameters, appData }).then(cb, eb),
      );
    }
    return t;
  },

  async publish() {
    if (this.myProducers.length) return;
    if (!this.stream) this.stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 320, height: 240, frameRate: 15 } });
    if (!this.sendT) this.sendT = await this.transport('send');
    for (const track of this.stream.getTracks()) this.myProducers.push(await this.sendT.produce({ track, stopTracks: false }));
  },

  async unpublish() {
    for (const p of this.myProducers.splice(0)) {
      p.close();
      await this.client.request('closeProducer', { producerId: p.id }).catch(() => undefined);
    }
  },

  wants(userId) {
    return userId !== this.userId && (this.mode === 'all' || this.seated.has(userId));
  },

  async onMicState(m) {
    if (!this.device) return;
    this.lastMic = m;
    this.seated = new Set(m.seats.map((s) => s.userId).filter((u) => u !== null && u !== 0));
    if (this.seated.has(this.userId)) await this.publish();
    else if (this.mode === 'mic') await this.unpublish();
    await this.reconcile();
  },

  async onNewProducer(p) {
    this.producers.set(p.producerId, { userId: p.userId, kind: p.kind });
    await this.reconcile();
  },

  dropConsumer(producerId) {
    this.consumers.get(producerId)?.close();
    this.consumers.delete(producerId);
    document.querySelector(`[data-producer-id="${producerId}"]`)?.remove();
  },

  async onProducerClosed(p) {
    this.producers.delete(p.producerId);
    this.dropConsumer(p.producerId);
    const mine = this.myProducers.findIndex((x) => x.id === p.producerId);
    if (mine >= 0) this.myProducers.splice(mine, 1)[0].close();
  },

  async reconcile() {
    if (!this.device) return;
    for (const [producerId, info] of this.producers) {
      const has = this.consumers.has(producerId);
      if (this.wants(info.userId) && !has) {
        const c = await this.client.request('consume', { transportId: this.recvT.id, producerId, rtpCapabilities: this.device.rtpCapabilities });
        const consumer = await this.recvT.consume(c);
        this.consumers.set(producerId, consumer);
        const el = document.createElement(consumer.kind);
        el.dataset.userId = String(info.userId);
        el.dataset.producerId = producerId;
        el.srcObject = new MediaStream([consumer.track]);
        el.muted = true;
        el.autoplay = true;
        el.playsInline = true;
        document.body.appendChild(el);
        el.play().catch(() => {});
        await this.client.request('resumeConsumer', { consumerId: consumer.id });
      } else if (!this.wants(info.userId) && has) {
        this.dropConsumer(producerId);
      }
    }
  },

  micRequest() {
    return this.client.request('micRequest', {});
  },

  micRelease() {
    return this.client.request('micRelease', {});
  },

  /** framesDecoded per publishing user, over the consumers open now. */
  async stats() {
    const out = {};
    for (const [producerId, consumer] of this.consumers) {
      if (consumer.closed || consumer.kind !== 'video') continue;
      const userId = this.producers.get(producerId)?.userId ?? 0;
      const report = await consumer.getStats();
      report.forEach((s) => {
        if (s.type === 'inbound-rtp' && s.kind === 'video') out[userId] = (out[userId] ?? 0) + (s.framesDecoded ?? 0);
      });
    }
    return out;
  },

  state() {
    return {
      userId: this.userId,
      publishing: this.myProducers.map((p) => p.kind).sort(),
      seated: [...this.seated],
      queue: this.lastMic?.queue ?? [],
      consuming: [...this.consumers.values()].filter((c) => !c.closed).length,
      errors: this.errors,
      callEvents: this.callEvents,
      roomId: this.roomId,
    };
  },

  // ---- calls (seed §6)
  call(userId) {
    return this.client.callRequest(userId);
  },

  onCallEvent(ev) {
    this.callEvents.push(ev);
    if (ev.eventType === 1 && this.autoAccept) void this.client.callReply(ev.userId, true);
    if (ev.eventType === 3) void this.join({ roomId: ev.param }, 'all');
    if (ev.eventType === 4) {
      void this.run(async () => {
        await this.unpublish();
        for (const producerId of [...this.consumers.keys()]) this.dropConsumer(producerId);
      });
    }
  },
};

window.app = app;
