/**
 * TEST/BENCH ONLY: counts received RTP from the clear part of SRTP packets, without decrypting.
 *
 * SRTP encrypts only the payload; the 12-byte RTP header (ssrc, sequence number) stays in the clear.
 * A receiver that completes ICE + DTLS (so the sender sees a real connected transport) and then only
 * reads those headers costs a fraction of one that decrypts, so a bench measures the sender, not
 * the receivers. Loss is counted from sequence gaps per SSRC (RFC 3550 A.3: expected − received).
 */
import type { Socket } from 'node:dgram';
import type { RTCDtlsTransport } from 'werift';
import { prepareClientTransport, startClientTransport, type RemoteTransport } from '../peer/clientTransport';
import type { DtlsParameters } from '../types';

interface StreamState {
  /** Extended (cycle-counted) highest sequence number seen. */
  highest: number;
  /** Extended sequence number of the first packet, minus one: expected = highest − base. */
  base: number;
  received: number;
}

export interface ClearRtpTotals {
  received: number;
  /** Packets the senders numbered in the streams seen so far: expected − received = lost. */
  expected: number;
  streams: number;
}

export class ClearRtpCounter {
  private readonly streams = new Map<number, StreamState>();
  /** Datagrams with the RTCP packet-type range (SR, SDES … from the sender); not counted as RTP. */
  rtcp = 0;

  /** Feeds one datagram as it arrived on the wire (STUN/DTLS/RTCP are skipped). */
  onDatagram(buf: Buffer): void {
    if (buf.length < 12 || buf[0] < 128 || buf[0] > 191) return; // not RTP/RTCP (RFC 7983 demux)
    if (buf[1] >= 192 && buf[1] <= 223) {
      this.rtcp++;
      return;
    }
    const ssrc = buf.readUInt32BE(8);
    const seq = buf.readUInt16BE(2);
    const s = this.streams.get(ssrc);
    if (!s) {
      this.streams.set(ssrc, { highest: seq, base: seq - 1, received: 1 });
      return;
    }
    s.received++;
    // place seq in the cycle closest to the highest seen (handles wrap and mild reordering)
    const last = s.highest & 0xffff;
    let delta = seq - last;
    if (delta > 0x8000) delta -= 0x10000;
    else if (delta < -0x8000) delta += 0x10000;
    if (delta > 0) s.highest += delta;
  }

  totals(): ClearRtpTotals {
    let received = 0;
    let expected = 0;
    for (const s of this.streams.values()) {
      received += s.received;
      expected += s.highest - s.base;
    }
    return { received, expected, streams: this.streams.size };
  }

  /** Packets received so far per SSRC. */
  receivedBySsrc(): Map<number, number> {
    return new Map([...this.streams].map(([ssrc, s]) => [ssrc, s.received]));
  }

  ssrcs(): number[] {
    return [...this.streams.keys()];
  }
}

interface SrtpInternals {
  srtpStarted: boolean;
  updateSrtpSession(): void;
  startSrtp(): void;
  iceTransport: { connection: { onData: { subscribe(f: (b: Buffer) => void): unknown } } };
}

/**
 * Makes a werift DTLS transport count incoming RTP from its clear headers instead of decrypting it.
 * Call before the transport starts (before `dtls.start()`, or before a peer connection's
 * `setLocalDescription`). Outgoing SRTP/SRTCP still works (keys are derived as usual); incoming
 * SRTP is never decrypted, so `onRtp`/`onRtcp` stay silent. Relies on werift's
 * `RTCDtlsTransport.startSrtp` (0.24), which the counter's test exercises.
 */
export function countClearRtp(dtls: RTCDtlsTransport, counter = new ClearRtpCounter()): ClearRtpCounter {
  const t = dtls as unknown as SrtpInternals;
  t.startSrtp = () => {
    if (t.srtpStarted) return;
    t.srtpStarted = true;
    t.updateSrtpSession();
  };
  t.iceTransport.connection.onData.subscribe((buf) => counter.onDatagram(buf));
  return counter;
}

/**
 * Gives a connected transport's UDP sockets a larger receive buffer (up to net.core.rmem_max), so a
 * receiver whose process stalls for a moment on a busy machine does not drop what the sender sent.
 * Best effort: reaches into werift's ICE connection (its sockets are not public).
 */
export function enlargeReceiveBuffer(dtls: RTCDtlsTransport, bytes = 4 * 1024 * 1024): void {
  const protocols = (dtls.iceTransport.connection as unknown as { protocols?: { transport?: { socket?: Socket } }[] }).protocols ?? [];
  for (const p of protocols) {
    try {
      p.transport?.socket?.setRecvBufferSize(bytes);
    } catch {
      // not bound (yet) or above the kernel's limit: keep the default
    }
  }
}

/** A receive-only client of one of the node's transports that completes ICE + DTLS and then only counts clear RTP headers. */
export async function connectCountingReceiver(
  remote: RemoteTransport,
  connect: (dtlsParameters: DtlsParameters) => Promise<void>,
): Promise<{ counter: ClearRtpCounter; dtls: RTCDtlsTransport; close(): Promise<void> }> {
  const t = await prepareClientTransport(remote);
  const counter = countClearRtp(t.dtls);
  await startClientTransport(t, connect);
  enlargeReceiveBuffer(t.dtls);
  return { counter, dtls: t.dtls, close: () => t.dtls.stop().catch(() => {}) };
}
