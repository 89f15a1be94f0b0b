/**
 * Engine forwarding cost without the network (a script, not a test):
 *   npx tsx bench/media/forwardCpu.ts [--packets 20000] [--consumers 10]
 *
 * Drives an in-process engine directly: one VP8 producer, N consumers on another transport, both
 * transports marked connected with their DTLS send replaced by a no-op, and RTP packets handed to
 * the receiving transport as if decrypted. Prints CPU µs per forwarded packet (this thread only:
 * no peers, no SRTP, so it isolates the engine's own per-packet work and is far less sensitive to
 * a loaded machine than the end-to-end bench in run.ts).
 */
import { RtpHeader, RtpPacket } from 'werift';
import { Engine } from '../../electron/media/engine/Engine';
import {
  generateRouterRtpCapabilities,
  getConsumableRtpParameters,
  getConsumerRtpParameters,
  getProducerRtpParametersMapping,
} from '../../electron/media/ortc';
import type { RtpParameters } from '../../electron/media/types';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const PACKETS = arg('packets', 20_000);
const CONSUMERS = arg('consumers', 10);

interface TransportLike {
  state: string;
  dtls: unknown;
  onRtp(p: RtpPacket): void;
}

async function main() {
  const engine = new Engine({ listenIp: '127.0.0.1', announcedIp: null, rtcMinPort: 45000, rtcMaxPort: 45100, recordingsDir: '/tmp' }, () => {});
  const caps = generateRouterRtpCapabilities();
  await engine.handle('router.create', { routerId: 'r' });
  await engine.handle('router.createWebRtcTransport', { routerId: 'r', transportId: 'send' });
  await engine.handle('router.createWebRtcTransport', { routerId: 'r', transportId: 'recv' });
  const transports = (engine as unknown as { transports: { get(id: string): TransportLike } }).transports;
  let sent = 0;
  for (const id of ['send', 'recv']) {
    const t = transports.get(id);
    t.state = 'connected';
    t.dtls = { sendRtp: () => (sent++, Promise.resolve()), sendRtcp: () => Promise.resolve(), stop: () => Promise.resolve() };
  }
  const rtpParameters: RtpParameters = {
    mid: '0',
    codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000, rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }] }],
    encodings: [{ ssrc: 1111 }],
    rtcp: { cname: 'bench' },
  };
  const mapping = getProducerRtpParametersMapping(rtpParameters, caps);
  const consumable = getConsumableRtpParameters('video', rtpParameters, caps, mapping);
  // consumableRtpParameters: older engines took it; newer ones ignore the extra field
  await engine.handle('transport.produce', {
    transportId: 'send',
    producerId: 'p',
    kind: 'video',
    rtpParameters,
    mapping,
    paused: false,
    consumableRtpParameters: consumable,
  } as never);
  for (let i = 0; i < CONSUMERS; i++) {
    const crtp = getConsumerRtpParameters(consumable, caps);
    crtp.mid = String(i);
    await engine.handle('transport.consume', { transportId: 'recv', consumerId: `c${i}`, producerId: 'p', rtpParameters: crtp, paused: false });
  }
  const send = transports.get('send');
  const body = Buffer.alloc(1100, 0x55);
  const packet = (seq: number) => {
    const payload = Buffer.from(body);
    payload[0] = seq % 4 === 0 ? 0x10 : 0x00;
    payload[1] = seq % 200 === 0 ? 0x00 : 0x01; // a keyframe every 200 packets
    return new RtpPacket(
      new RtpHeader({ ssrc: 1111, payloadType: 96, sequenceNumber: seq & 0xffff, timestamp: Math.floor(seq / 4) * 3000, marker: seq % 4 === 3 }),
      payload,
    );
  };
  for (let s = 0; s < 2000; s++) send.onRtp(packet(s)); // warm-up (JIT)
  sent = 0;
  const packets = Array.from({ length: PACKETS }, (_, i) => packet(2000 + i));
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (const p of packets) send.onRtp(p);
  const cpu = process.cpuUsage(cpu0);
  const wallNs = Number(process.hrtime.bigint() - t0);
  const cpuUs = cpu.user + cpu.system;
  console.log(
    `forwardCpu: ${PACKETS} packets in × ${CONSUMERS} consumers → ${sent} out; ` +
      `${(cpuUs / sent).toFixed(3)} CPU-ms per 1,000 forwarded packets (${(wallNs / 1e3 / sent).toFixed(2)} µs wall each)`,
  );
  engine.close();
  process.exit(0);
}

void main();
