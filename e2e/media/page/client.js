// TEST-ONLY page client: plain, unmodified mediasoup-client talking to e2e/media/harness.ts.
import { Device } from 'mediasoup-client';

const app = {
  ws: null,
  nextId: 1,
  pending: new Map(),
  events: [],
  device: null,
  sendTransport: null,
  recvTransport: null,
  producers: {},
  consumers: {},

  request(method, data = {}) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.ws.send(JSON.stringify({ id, method, data }));
    });
  },

  async init(url) {
    this.ws = new WebSocket(url);
    await new Promise((res, rej) => {
      this.ws.onopen = res;
      this.ws.onerror = rej;
    });
    this.ws.onmessage = (ev) => {
      const m = JSON.parse(ev.data);
      if (m.notification) {
        this.events.push(m);
        if (m.notification === 'producerClosed') this.consumers[m.data.consumerId]?.close();
        return;
      }
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error) p.reject(new Error(m.error));
      else p.resolve(m.data);
    };
    this.device = new Device();
    const routerRtpCapabilities = await this.request('getRouterRtpCapabilities');
    await this.device.load({ routerRtpCapabilities });
    return this.device.handlerName;
  },

  async createTransport(direction) {
    const info = await this.request('createTransport', { direction });
    const t = direction === 'send' ? this.device.createSendTransport(info) : this.device.createRecvTransport(info);
    t.on('connect', ({ dtlsParameters }, cb, eb) => this.request('connect', { transportId: t.id, dtlsParameters }).then(cb, eb));
    if (direction === 'send') {
      t.on('produce', ({ kind, rtpParameters, appData }, cb, eb) => this.request('produce', { transportId: t.id, kind, rtpParameters, appData }).then(cb, eb));
    }
    return t;
  },

  async publish() {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 480, frameRate: 30 } });
    this.sendTransport = await this.createTransport('send');
    const audio = await this.sendTransport.produce({ track: stream.getAudioTracks()[0] });
    const video = await this.sendTransport.produce({ track: stream.getVideoTracks()[0] });
    this.producers = { audio, video };
    return { audio: audio.id, video: video.id };
  },

  async publishSimulcast() {
    const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480, frameRate: 30 } });
    if (!this.sendTransport) this.sendTransport = await this.createTransport('send');
    const video = await this.sendTransport.produce({
      track: stream.getVideoTracks()[0],
      encodings: [
        { scaleResolutionDownBy: 4, maxBitrate: 150000 },
        { scaleResolutionDownBy: 2, maxBitrate: 500000 },
        { scaleResolutionDownBy: 1, maxBitrate: 1500000 },
      ],
    });
    this.producers.simulcast = video;
    return video.id;
  },

  async videoByMid() {
    const out = {};
    if (!this.recvTransport) return out;
    const report = await this.recvTransport.getStats();
    report.forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video') out[s.mid] = { framesDecoded: s.framesDecoded ?? 0, frameWidth: s.frameWidth ?? 0 };
    });
    return out;
  },

  async consume(producerIds) {
    if (!this.recvTransport) this.recvTransport = await this.createTransport('recv');
    const out = [];
    for (const producerId of producerIds) {
      const info = await this.request('consume', { transportId: this.recvTransport.id, producerId, rtpCapabilities: this.device.rtpCapabilities });
      const consumer = await this.recvTransport.consume(info);
      this.consumers[consumer.id] = consumer;
      const el = document.createElement(consumer.kind);
      el.srcObject = new MediaStream([consumer.track]);
      el.muted = true;
      el.autoplay = true;
      el.playsInline = true;
      document.body.appendChild(el);
      el.play().catch(() => {});
      await this.request('resumeConsumer', { consumerId: consumer.id });
      out.push({ id: consumer.id, kind: consumer.kind });
    }
    return out;
  },

  async stats() {
    const r = { framesDecoded: 0, videoPackets: 0, audioPackets: 0, transportState: this.recvTransport?.connectionState };
    if (!this.recvTransport) return r;
    const report = await this.recvTransport.getStats();
    report.forEach((s) => {
      if (s.type !== 'inbound-rtp') return;
      if (s.kind === 'video') {
        r.framesDecoded += s.framesDecoded ?? 0;
        r.videoPackets += s.packetsReceived ?? 0;
      } else if (s.kind === 'audio') r.audioPackets += s.packetsReceived ?? 0;
    });
    return r;
  },

  transportOf(direction) {
    return direction === 'send' ? this.sendTransport : this.recvTransport;
  },

  /** The selected ICE candidate pair of a transport as Chromium reports it (getStats). */
  async selectedPair(direction) {
    const report = await this.transportOf(direction).getStats();
    const all = [...report.values()];
    const transport = all.find((s) => s.type === 'transport' && s.selectedCandidatePairId);
    const pair = transport
      ? report.get(transport.selectedCandidatePairId)
      : all.find((s) => s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded');
    if (!pair) return null;
    const local = report.get(pair.localCandidateId);
    const remote = report.get(pair.remoteCandidateId);
    return {
      state: pair.state,
      nominated: pair.nominated,
      local: { protocol: local?.protocol, port: local?.port, tcpType: local?.tcpType ?? null },
      remote: { protocol: remote?.protocol, port: remote?.port, tcpType: remote?.tcpType ?? null, usernameFragment: remote?.usernameFragment ?? null },
    };
  },

  /** mediasoup-client's ICE restart: new server credentials, then transport.restartIce(). */
  async restartIce(direction) {
    const t = this.transportOf(direction);
    const { iceParameters } = await this.request('restartIce', { transportId: t.id });
    await t.restartIce({ iceParameters });
    return iceParameters;
  },

  async pauseProducer(kind) {
    const p = this.producers[kind];
    p.pause();
    await this.request('pauseProducer', { producerId: p.id });
  },

  async closeProducer(kind) {
    const p = this.producers[kind];
    p.close();
    await this.request('closeProducer', { producerId: p.id });
  },
};

window.app = app;
