/**
 * A 60 s single-user recording of a real encoded stream (ffmpeg → VP8 + Opus RTP, relayed into the
 * SFU over ICE/DTLS/SRTP) with the producers paused for 10 s in the middle: the finished WebM
 * decodes without one error line, carries Cues and seeks, has strictly increasing timestamps per
 * track, and its flash/beep markers are within 80 ms of each other.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { MediaNode, RecordFlags } from '../index';
import { FfmpegRtpSource, relayTo } from '../testing/FfmpegRtpSource';
import { NodePeer, sleep, waitFor } from '../testing/NodePeer';
import { findFfmpeg } from './ffmpegLocator';
import { avOffsets, decodeErrors, hasFfmpegTools, packetTimes, probe, webmHasCues } from './fileChecks';
import { spawnSync } from 'node:child_process';

const RECORD_SECONDS = 60;

describe.skipIf(!hasFfmpegTools)('clean single-user recording (ffmpeg with libvpx + libopus needed)', () => {
  let node: MediaNode | undefined;
  let source: FfmpegRtpSource | undefined;
  let peer: NodePeer | undefined;
  afterAll(async () => {
    await source?.stop();
    await peer?.close();
    await node?.close();
  });

  it('60 s with a 10 s pause: no decode error, Cues + seek, increasing timestamps, A/V within 80 ms', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rec-clean-'));
    node = await MediaNode.create({
      listenIp: '127.0.0.1',
      announcedIp: null,
      rtcMinPort: 45100,
      rtcMaxPort: 45150,
      numWorkers: 0,
      recordingsDir: dir,
      ffmpegPath: findFfmpeg(null)!.path,
      logger: pino({ level: 'silent' }),
    });
    const router = await node.createRouter();
    const t = await router.createWebRtcTransport();
    const p = (peer = await NodePeer.connect(t, (dtlsParameters) => t.connect({ dtlsParameters })));
    await waitFor(() => t.dtlsState === 'connected', 5000, 'connected');
    const audio = await t.produce({
      kind: 'audio',
      rtpParameters: { mid: '0', codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }], encodings: [{ ssrc: 7001 }] },
    });
    const video = await t.produce({
      kind: 'video',
      rtpParameters: { mid: '1', codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000 }], encodings: [{ ssrc: 7002 }] },
    });
    source = await FfmpegRtpSource.start({
      seconds: RECORD_SECONDS + 5,
      markers: true,
      onPacket: relayTo(p, { audio: 7001, video: 7002 }),
    });
    await sleep(1500);
    const rec = await node.startRecording({ router, userId: 'clean', producers: [audio, video], flags: RecordFlags.AUDIO | RecordFlags.VIDEO });
    await sleep(25_000);
    await Promise.all([audio.pause(), video.pause()]);
    await sleep(10_000);
    await Promise.all([audio.resume(), video.resume()]);
    await sleep((RECORD_SECONDS - 35) * 1000);
    const res = await node.stopRecording(rec);
    expect(res.errorCode ?? 0).toBe(0);
    expect(res.fileName).toMatch(/\.webm$/);

    expect(decodeErrors(res.filePath)).toBe('');
    expect(webmHasCues(res.filePath)).toBe(true);
    const info = probe(res.filePath);
    expect(info.streams.map((s) => s.codec_name).sort()).toEqual(['opus', 'vp8']);
    // the file spans the recording; a CPU-starved source (shared CI cores) produces a little less media than wall time
    expect(info.duration).toBeGreaterThan(RECORD_SECONDS - 8);
    expect(info.duration).toBeLessThan(RECORD_SECONDS + 2);
    // seeking into the second half lands there and decodes
    const seek = spawnSync('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'error', '-ss', '45', '-i', res.filePath, '-frames:v', '1', '-f', 'null', '-'], {
      encoding: 'utf8',
    });
    expect(seek.status).toBe(0);
    expect(seek.stderr.trim()).toBe('');

    for (const s of ['v:0', 'a:0'] as const) {
      const times = packetTimes(res.filePath, s);
      expect(times.length).toBeGreaterThan(100);
      const backwards = times.filter((x, i) => i > 0 && !(x > times[i - 1]));
      expect(backwards, `stream ${s} timestamps`).toEqual([]);
    }

    const offsets = avOffsets(res.filePath);
    console.log(
      `A/V offsets over ${offsets.length} markers: max |d| ${Math.round(Math.max(...offsets.map(Math.abs)) * 1000)} ms, mean ${Math.round((offsets.reduce((a, b) => a + b, 0) / offsets.length) * 1000)} ms`,
    );
    expect(offsets.length).toBeGreaterThan(40); // ~50 s of markers (10 s paused)
    expect(Math.max(...offsets.map(Math.abs))).toBeLessThan(0.08);
  }, 120_000);
});
