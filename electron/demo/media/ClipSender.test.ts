/**
 * ClipSender on a simulated clock: what it hands to the peer over two and a half loops — sequence
 * numbers and timestamps continuous across loops, a key frame at each loop start, the audio level
 * extension on every audio packet, a PLI answered by a key frame.
 */
import { PictureLossIndication, RtcpPayloadSpecificFeedback, type RtcpPacket } from 'werift';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RtpSendHeader } from '../bots/BotPeer';
import { loadClip } from './clip';
import { ClipSender } from './ClipSender';

const clip = loadClip();
const AUDIO = { ssrc: 11, payloadType: 111, audioLevelExtId: 10 };
const VIDEO = { ssrc: 22, payloadType: 96 };

function capture() {
  const rtp: { h: RtpSendHeader; payload: Buffer }[] = [];
  const peer = {
    onRtcp: null as ((p: RtcpPacket) => void) | null,
    sendRtp: (h: RtpSendHeader, payload: Buffer) => void rtp.push({ h, payload }),
    sendRtcp: () => undefined,
  };
  return { rtp, peer };
}

describe('ClipSender', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'performance'] }));
  afterEach(() => vi.useRealTimers());

  it('loops with continuous sequence numbers and timestamps, a key frame at each loop, audio levels', () => {
    const { rtp, peer } = capture();
    const s = new ClipSender({ clip, peer, audio: AUDIO, video: VIDEO });
    s.start();
    vi.advanceTimersByTime(15_000);
    s.stop();
    const audio = rtp.filter((p) => p.h.ssrc === AUDIO.ssrc);
    const video = rtp.filter((p) => p.h.ssrc === VIDEO.ssrc);
    expect(audio.length).toBeGreaterThan(740); // 50 packets/s
    for (let i = 1; i < audio.length; i++) {
      expect((audio[i]!.h.sequenceNumber - audio[i - 1]!.h.sequenceNumber) & 0xffff).toBe(1);
      expect((audio[i]!.h.timestamp - audio[i - 1]!.h.timestamp) >>> 0).toBe(960);
    }
    expect(audio.every((p) => p.h.extensions.length === 1 && p.h.extensions[0]!.id === 10 && p.h.extensions[0]!.payload.length === 1)).toBe(true);
    for (let i = 1; i < video.length; i++) expect((video[i]!.h.sequenceNumber - video[i - 1]!.h.sequenceNumber) & 0xffff).toBe(1);
    // Frames: first packets (S bit); timestamps advance 6000 (90 kHz / 15 fps) per frame, across loops too.
    const starts = video.filter((p) => (p.payload[0]! & 0x10) !== 0);
    expect(starts.length).toBeGreaterThanOrEqual(224);
    for (let i = 1; i < starts.length; i++) expect((starts[i]!.h.timestamp - starts[i - 1]!.h.timestamp) >>> 0).toBe(6000);
    const key = starts.map((p) => (p.payload[4]! & 0x01) === 0);
    expect([0, 90, 180].every((i) => key[i])).toBe(true);
    expect(s.stats.loops).toBe(2);
    // The marker closes each frame.
    expect(video.filter((p) => p.h.marker)).toHaveLength(starts.length);
  });

  it('answers a PLI with a key frame at once', () => {
    const { rtp, peer } = capture();
    const s = new ClipSender({ clip, peer, audio: null, video: VIDEO });
    s.start();
    vi.advanceTimersByTime(500); // into the first second, past its key frame
    const before = rtp.length;
    peer.onRtcp!(new RtcpPayloadSpecificFeedback({ feedback: new PictureLossIndication({ senderSsrc: 1, mediaSsrc: VIDEO.ssrc }) }));
    vi.advanceTimersByTime(100);
    s.stop();
    const next = rtp.slice(before).find((p) => (p.payload[0]! & 0x10) !== 0)!;
    expect((next.payload[4]! & 0x01) === 0).toBe(true);
    expect(s.stats.keyframeRequests).toBe(1);
  });
});
