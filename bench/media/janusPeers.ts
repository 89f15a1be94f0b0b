/**
 * werift peers doing Janus VideoRoom signaling: publishers (offer → answer) and subscribers
 * (Janus offers, we answer) whose receivers count clear RTP headers instead of decrypting.
 */
import { RTCPeerConnection, RTCRtpCodecParameters, RtpHeader, RtpPacket, useNACK, usePLI, useSdesMid, type RTCRtpSender } from 'werift';
import { ClearRtpCounter, countClearRtp, enlargeReceiveBuffer } from '../../electron/media/testing/ClearRtpCounter';
import { janusIp, type JanusHandle, type JanusSession, type Jsep } from './janus';
import type { RtpSink } from './load';

function peerConnection(): RTCPeerConnection {
  return new RTCPeerConnection({
    codecs: { video: [new RTCRtpCodecParameters({ mimeType: 'video/VP8', clockRate: 90000, payloadType: 96, rtcpFeedback: [useNACK(), usePLI()] })] },
    headerExtensions: { video: [useSdesMid()] },
    iceInterfaceAddresses: { udp4: janusIp() },
    iceUseIpv6: false,
  });
}

async function localSdp(pc: RTCPeerConnection): Promise<string> {
  const end = Date.now() + 10_000;
  while (pc.iceGatheringState !== 'complete') {
    if (Date.now() > end) throw new Error('werift: ICE gathering did not complete within 10 s');
    await new Promise((r) => setTimeout(r, 10));
  }
  return pc.localDescription!.sdp;
}

async function connected(pc: RTCPeerConnection, what: string): Promise<void> {
  const end = Date.now() + 15_000;
  while (pc.connectionState !== 'connected') {
    if (pc.connectionState === 'failed' || Date.now() > end) throw new Error(`${what}: peer connection ${pc.connectionState}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function createRoom(session: JanusSession, room: number): Promise<JanusHandle> {
  const h = await session.attach();
  // bitrate 0: no REMB cap; the publishers pace themselves
  await h.message({ request: 'create', room, publishers: 64, videocodec: 'vp8', bitrate: 0, notify_joining: false, fir_freq: 0 });
  return h;
}

export class JanusPublisher implements RtpSink {
  private constructor(
    private readonly pc: RTCPeerConnection,
    private readonly sender: RTCRtpSender,
  ) {}

  static async join(session: JanusSession, room: number, feed: number): Promise<JanusPublisher> {
    const h = await session.attach();
    await h.message({ request: 'join', ptype: 'publisher', room, id: feed, display: `bench-${feed}` });
    const pc = peerConnection();
    const t = pc.addTransceiver('video', { direction: 'sendonly' });
    await pc.setLocalDescription(await pc.createOffer());
    const offer: Jsep = { type: 'offer', sdp: await localSdp(pc), trickle: false };
    const r = await h.message({ request: 'publish' }, offer);
    if (!r.jsep) throw new Error('janus: publish without an answer');
    await pc.setRemoteDescription(r.jsep);
    await connected(pc, `janus publisher ${feed}`);
    return new JanusPublisher(pc, t.sender);
  }

  send(h: { sequenceNumber: number; timestamp: number; marker: boolean }, payload: Buffer): void {
    // werift's sender stamps its own ssrc, payload type and header extensions
    void this.sender.sendRtp(new RtpPacket(new RtpHeader({ ...h, ssrc: 0, payloadType: 96 }), payload));
  }

  async close(): Promise<void> {
    await this.pc.close().catch(() => {});
  }
}

/** One subscriber peer connection carrying one stream of each feed, counted from clear headers. */
export async function subscribe(session: JanusSession, room: number, feeds: number[]): Promise<{ counter: ClearRtpCounter; close(): Promise<void> }> {
  const h = await session.attach();
  const r = await h.message({ request: 'join', ptype: 'subscriber', room, streams: feeds.map((feed) => ({ feed })) });
  if (!r.jsep) throw new Error('janus: subscriber join without an offer');
  const pc = peerConnection();
  await pc.setRemoteDescription(r.jsep);
  const counter = new ClearRtpCounter();
  for (const dtls of pc.dtlsTransports) countClearRtp(dtls, counter);
  await pc.setLocalDescription(await pc.createAnswer());
  await h.message({ request: 'start' }, { type: 'answer', sdp: await localSdp(pc), trickle: false });
  await connected(pc, 'janus subscriber');
  for (const dtls of pc.dtlsTransports) enlargeReceiveBuffer(dtls);
  return { counter, close: () => pc.close().catch(() => {}) };
}
