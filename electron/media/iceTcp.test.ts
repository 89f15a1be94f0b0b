/**
 * ICE-TCP and ICE restart on real sockets: Node peers dial the node's passive TCP candidates
 * (RFC 4571), pass STUN checks, run DTLS/SRTP over TCP; one publishes, the other receives.
 * Then restartIce: the old credentials keep working until the new ones are used, a new
 * connection checked with the new ones carries the same DTLS session on.
 */
import { mkdtempSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaNode, type Router, type RtpParameters, type WebRtcTransport } from './index';
import { waitFor } from './testing/NodePeer';
import { TcpNodePeer } from './testing/TcpNodePeer';

const opus: RtpParameters = {
  mid: '0',
  codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2, parameters: { useinbandfec: 1 } }],
  headerExtensions: [],
  encodings: [{ ssrc: 4242 }],
  rtcp: { cname: 'tcp-peer' },
};

describe('ICE-TCP (enableUdp: false) with Node peers on real sockets', () => {
  let node: MediaNode;
  let router: Router;
  let sendT: WebRtcTransport;
  let recvT: WebRtcTransport;
  let a: TcpNodePeer;
  let b: TcpNodePeer;
  let seq = 0;
  const sendAudio = async (n: number) => {
    for (let i = 0; i < n; i++) await a.sendRtp({ ssrc: 4242, payloadType: 111, sequenceNumber: seq++, timestamp: seq * 960 }, Buffer.from([0xf8, 0xff, 0xfe]));
  };

  beforeAll(async () => {
    node = await MediaNode.create({
      listenIp: '127.0.0.1',
      announcedIp: null,
      rtcMinPort: 42600,
      rtcMaxPort: 42700,
      enableUdp: false,
      numWorkers: 0,
      recordingsDir: mkdtempSync(path.join(tmpdir(), 'media-tcp-')),
      logger: pino({ level: 'silent' }),
    });
    router = await node.createRouter();
    sendT = await router.createWebRtcTransport();
    recvT = await router.createWebRtcTransport();
  });

  afterAll(async () => {
    a?.close();
    b?.close();
    await node?.close();
  });

  it('offers only a passive TCP host candidate in the port range', () => {
    expect(sendT.iceCandidates).toHaveLength(1);
    expect(sendT.iceCandidates[0]).toMatchObject({ protocol: 'tcp', tcpType: 'passive', ip: '127.0.0.1', type: 'host' });
    expect(sendT.iceCandidates[0].port).toBeGreaterThanOrEqual(42600);
    expect(sendT.iceCandidates[0].port).toBeLessThanOrEqual(42700);
  });

  it('a peer publishes over TCP and another receives the forwarded RTP over TCP', async () => {
    [a, b] = await Promise.all([
      TcpNodePeer.connect(sendT, (dtlsParameters) => sendT.connect({ dtlsParameters })),
      TcpNodePeer.connect(recvT, (dtlsParameters) => recvT.connect({ dtlsParameters })),
    ]);
    await waitFor(() => sendT.dtlsState === 'connected' && recvT.dtlsState === 'connected', 5000, 'DTLS over TCP');
    const producer = await sendT.produce({ kind: 'audio', rtpParameters: opus });
    const consumer = await recvT.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities, paused: false });
    await sendAudio(20);
    await waitFor(() => b.rtp.length >= 20, 5000, '20 packets at B');
    expect(b.rtp.every((p) => p.header.ssrc === consumer.rtpParameters.encodings![0].ssrc)).toBe(true);
    const [st] = await sendT.getStats();
    expect(st.iceSelectedTuple).toMatchObject({ protocol: 'tcp', localIp: '127.0.0.1', localPort: sendT.iceCandidates[0].port });
    expect(st.iceState).toBe('completed');
  });

  it('a check with a wrong password is answered 401', async () => {
    expect(await a.check(undefined, 'not-the-password-at-all-000000')).toEqual({ ok: false, code: 401 });
  });

  it('restartIce: old credentials hold until the new ones are used; a new connection carries the same DTLS session on', async () => {
    const oldParams = sendT.iceParameters;
    const [before] = await sendT.getStats();
    const fresh = await sendT.restartIce();
    expect(fresh.usernameFragment).not.toBe(oldParams.usernameFragment);
    expect(fresh.password).not.toBe(oldParams.password);
    expect(sendT.iceParameters).toEqual(fresh);
    // the peer has not switched yet: its consent checks with the old credentials still pass
    expect(await a.check()).toEqual({ ok: true });
    await a.restartIce(fresh);
    const [after] = await sendT.getStats();
    expect(after.iceSelectedTuple?.protocol).toBe('tcp');
    expect(after.iceSelectedTuple?.remotePort).not.toBe(before.iceSelectedTuple?.remotePort);
    // once the new credentials were used, the old ones are refused
    expect(await a.check(undefined, oldParams.password)).toEqual({ ok: false, code: 401 });
    const got = b.rtp.length;
    await sendAudio(20);
    await waitFor(() => b.rtp.length >= got + 20, 5000, '20 more packets at B after the restart');
    expect(sendT.dtlsState).toBe('connected');
  });

  it('with every connection closed ICE is disconnected; a new checked connection resumes media', async () => {
    a.dropConnections(); // the one in use and the one from before the restart
    await waitFor(() => sendT.iceState === 'disconnected', 5000, 'ICE disconnected');
    await a.reconnect();
    await waitFor(() => sendT.iceState === 'completed', 5000, 'ICE completed again');
    const got = b.rtp.length;
    await sendAudio(10);
    await waitFor(() => b.rtp.length >= got + 10, 5000, '10 more packets at B after reconnecting');
  });

  it('restartIce on a closed transport is refused', async () => {
    const t = await router.createWebRtcTransport();
    t.close();
    await expect(t.restartIce()).rejects.toThrow(/closed/);
  });

  it('a connection that sends an oversize RFC 4571 frame is closed by the node', async () => {
    const { port } = recvT.iceCandidates[0];
    const socket = tcpConnect({ host: '127.0.0.1', port });
    await new Promise((r) => socket.once('connect', r));
    const closed = new Promise<boolean>((r) => socket.once('close', () => r(true)));
    socket.write(Buffer.from([0xff, 0xff, 1, 2, 3]));
    expect(await closed).toBe(true);
    // the transport's own connection is unaffected
    const got = b.rtp.length;
    await sendAudio(5);
    await waitFor(() => b.rtp.length >= got + 5, 5000, 'media still flowing to B');
  });
});

describe('media network options', () => {
  it('both UDP and TCP off is refused', async () => {
    await expect(
      MediaNode.create({
        listenIp: '127.0.0.1',
        announcedIp: null,
        rtcMinPort: 42700,
        rtcMaxPort: 42710,
        enableUdp: false,
        enableTcp: false,
        numWorkers: 0,
        recordingsDir: tmpdir(),
        logger: pino({ level: 'silent' }),
      }),
    ).rejects.toThrow(/enableUdp and enableTcp cannot both be false/);
  });
});
