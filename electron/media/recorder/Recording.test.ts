import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaNode, RecordFlags, type Producer, type Router, type WebRtcTransport } from '../index';
import { NodePeer, sleep, waitFor } from '../testing/NodePeer';
import { patchWebmHeader } from './Recording';
import { findFfmpeg } from './ffmpegLocator';
import { SignalingCodes } from '../../../shared/codes';

const hasFfmpeg = (() => {
  try {
    return execFileSync('ffmpeg', ['-hide_banner', '-encoders'], { encoding: 'utf8' }).includes('libx264');
  } catch {
    return false;
  }
})();

function splitAnnexB(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = -1;
  for (let i = 0; i + 3 <= buf.length; i++) {
    if (buf[i] === 0 && buf[i + 1] === 0 && (buf[i + 2] === 1 || (buf[i + 2] === 0 && buf[i + 3] === 1))) {
      const sc = buf[i + 2] === 1 ? 3 : 4;
      if (start >= 0) out.push(buf.subarray(start, i));
      start = i + sc;
      i += sc - 1;
    }
  }
  if (start >= 0) out.push(buf.subarray(start));
  return out.filter((n) => n.length > 0);
}

describe('server recording (synthetic RTP)', () => {
  let node: MediaNode;
  let router: Router;
  let st: WebRtcTransport;
  let a: NodePeer;
  let audio: Producer;
  let video: Producer;
  const dir = mkdtempSync(path.join(tmpdir(), 'media-rec-unit-'));
  let aSeq = 0;
  let vSeq = 0;
  let vTs = 0;

  const sendAudio = (n: number) => {
    const ps: Promise<unknown>[] = [];
    for (let i = 0; i < n; i++) {
      ps.push(a.sendRtp({ ssrc: 7001, payloadType: 111, sequenceNumber: aSeq & 0xffff, timestamp: (aSeq * 960) >>> 0 }, Buffer.from([0xf8, 0xff, 0xfe])));
      aSeq++;
    }
    return Promise.all(ps);
  };
  const sendVideoFrame = (key: boolean) => {
    // VP8 keyframe: descriptor S=1, frame tag (P=0) + start code + 64x48
    const payload = key
      ? Buffer.from([0x10, 0x50, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x00, 0x30, 0x00, 0, 0, 0])
      : Buffer.from([0x10, 0x51, 0x00, 0x00, 1, 2]);
    const p = a.sendRtp({ ssrc: 7002, payloadType: 96, sequenceNumber: vSeq++ & 0xffff, timestamp: vTs, marker: true }, payload);
    vTs += 3000;
    return p;
  };

  beforeAll(async () => {
    node = await MediaNode.create({
      listenIp: '127.0.0.1',
      announcedIp: null,
      rtcMinPort: 45000,
      rtcMaxPort: 45050,
      numWorkers: 0,
      recordingsDir: dir,
      ffmpegPath: findFfmpeg(null)?.path ?? null,
      logger: pino({ level: 'silent' }),
    });
    router = await node.createRouter();
    st = await router.createWebRtcTransport();
    a = await NodePeer.connect(st, (dtlsParameters) => st.connect({ dtlsParameters }));
    await waitFor(() => st.dtlsState === 'connected', 5000, 'connected');
    audio = await st.produce({
      kind: 'audio',
      rtpParameters: { mid: '0', codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }], encodings: [{ ssrc: 7001 }] },
    });
    video = await st.produce({
      kind: 'video',
      rtpParameters: { mid: '1', codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000 }], encodings: [{ ssrc: 7002 }] },
    });
  });
  afterAll(async () => {
    await a?.close();
    await node?.close();
  });

  it('audio-only flag → WebM with just an Opus stream, duration from RTP time', async () => {
    const rec = await node.startRecording({ router, userId: 'u1', producers: [audio, video], flags: RecordFlags.AUDIO });
    for (let i = 0; i < 10; i++) {
      await sendAudio(10); // 200 ms of audio per step
      await sendVideoFrame(i === 0);
      await sleep(20);
    }
    await sleep(100);
    const res = await node.stopRecording(rec);
    expect(res.flags & RecordFlags.VIDEO).toBe(0);
    expect(res.flags & RecordFlags.AUDIO).toBe(RecordFlags.AUDIO);
    expect(res.fileName).toMatch(/^rec_u1_.*\.webm$/);
    const probe = JSON.parse(
      execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type,codec_name', '-of', 'json', res.filePath], { encoding: 'utf8' }),
    );
    expect(probe.streams).toEqual([{ codec_type: 'audio', codec_name: 'opus' }]);
    expect(res.durationSeconds).toBeGreaterThan(1.5);
  });

  it('video waits for a keyframe; A+V file has both streams', async () => {
    const rec = await node.startRecording({ router, userId: 'u2', producers: [audio.id, video.id], flags: RecordFlags.AUDIO | RecordFlags.VIDEO });
    await sendVideoFrame(false); // before any keyframe: dropped, audio too
    await sendAudio(5);
    for (let i = 0; i < 10; i++) {
      await sendVideoFrame(i === 0);
      await sendAudio(2);
      await sleep(20);
    }
    await sleep(100);
    const res = await node.stopRecording(rec);
    const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type', '-of', 'json', res.filePath], { encoding: 'utf8' }));
    expect(probe.streams.map((s: { codec_type: string }) => s.codec_type).sort()).toEqual(['audio', 'video']);
  });

  it.runIf(existsSync('/dev/full'))('a write error (full disk) stops the recording with an event; forwarding goes on', async () => {
    symlinkSync('/dev/full', path.join(dir, 'full.webm.part')); // the live file
    const rt = await router.createWebRtcTransport();
    const b = await NodePeer.connect(rt, (dtlsParameters) => rt.connect({ dtlsParameters }));
    await rt.consume({ producerId: audio.id, rtpCapabilities: router.rtpCapabilities });
    const errors: string[] = [];
    const codes: number[] = [];
    node.on('recordingerror', (e) => {
      errors.push(e.error.message);
      codes.push(e.result?.errorCode ?? -1);
    });
    const rec = await node.startRecording({ router, userId: 'u3', producers: [audio], flags: RecordFlags.AUDIO, fileBaseName: 'full' });
    for (let i = 0; i < 5 && errors.length === 0; i++) {
      await sendAudio(20);
      await sleep(50);
    }
    await waitFor(() => errors.length > 0, 3000, 'recordingerror');
    expect(errors[0]).toMatch(/ENOSPC|no space/i);
    await waitFor(() => codes.length > 0, 3000, 'finished partial file');
    expect(codes[0]).toBe(SignalingCodes.RECORDING_DISK_FULL); // RECORDING_DISK_FULL
    await expect(node.stopRecording(rec)).rejects.toThrow(/not found/);
    const n = b.rtpCount;
    await sendAudio(10);
    await waitFor(() => b.rtpCount >= n + 10, 3000, 'forwarding continues');
    await b.close();
  });

  it.runIf(hasFfmpeg)('H264 + Opus → MP4 that ffprobe reads (libx264 stream packetized as RTP: single NAL + FU-A)', async () => {
    const h264File = path.join(dir, 'src.h264');
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=320x240:rate=30',
      '-t',
      '3',
      '-pix_fmt',
      'yuv420p',
      '-c:v',
      'libx264',
      '-profile:v',
      'baseline',
      '-g',
      '30',
      '-x264-params',
      'aud=1',
      '-bsf:v',
      'h264_mp4toannexb',
      '-f',
      'h264',
      '-y',
      h264File,
    ]);
    const nals = splitAnnexB(readFileSync(h264File));
    // access units delimited by AUD (type 9)
    const aus: Buffer[][] = [];
    for (const n of nals) {
      if ((n[0] & 0x1f) === 9) aus.push([]);
      else aus.at(-1)?.push(n);
    }
    const h264 = await st.produce({
      kind: 'video',
      rtpParameters: {
        mid: '7',
        codecs: [{ mimeType: 'video/H264', payloadType: 102, clockRate: 90000, parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f' } }],
        encodings: [{ ssrc: 7102 }],
      },
    });
    const rec = await node.startRecording({ router, userId: 'h264', producers: [audio, h264], flags: RecordFlags.AUDIO | RecordFlags.VIDEO });
    let seq = 0;
    for (let f = 0; f < aus.length; f++) {
      const packets: Buffer[] = [];
      for (const nal of aus[f]) {
        if (nal.length <= 1000) packets.push(nal);
        else {
          const hdr = nal[0];
          for (let off = 1; off < nal.length; off += 1000) {
            const end = Math.min(nal.length, off + 1000);
            const fuHeader = (off === 1 ? 0x80 : 0) | (end === nal.length ? 0x40 : 0) | (hdr & 0x1f);
            packets.push(Buffer.concat([Buffer.from([(hdr & 0xe0) | 28, fuHeader]), nal.subarray(off, end)]));
          }
        }
      }
      for (let i = 0; i < packets.length; i++) {
        await a.sendRtp({ ssrc: 7102, payloadType: 102, sequenceNumber: seq++, timestamp: f * 3000, marker: i === packets.length - 1 }, packets[i]);
      }
      if (f % 3 === 0) await sendAudio(5); // 100 ms of audio per 100 ms of video
      await sleep(5);
    }
    await sleep(200);
    const res = await node.stopRecording(rec);
    expect(res.fileName).toMatch(/\.mp4$/);
    const probe = JSON.parse(
      execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type,codec_name:format=duration', '-of', 'json', res.filePath], {
        encoding: 'utf8',
      }),
    );
    const kinds = probe.streams.map((x: { codec_type: string; codec_name: string }) => `${x.codec_type}/${x.codec_name}`).sort();
    expect(kinds).toEqual(['audio/opus', 'video/h264']);
    expect(Number(probe.format.duration)).toBeGreaterThan(2.5);
    expect(Number(probe.format.duration)).toBeLessThan(3.5);
    expect(res.durationSeconds).toBeGreaterThan(2.5);
    expect(execFileSync('ffmpeg', ['-v', 'error', '-i', res.filePath, '-f', 'null', '-'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })).toBe('');
    // finished through ffmpeg: a regular MP4 with its index (moov) before the media, not fragments
    const mp4 = readFileSync(res.filePath);
    expect(mp4.indexOf('moov')).toBeGreaterThan(0);
    expect(mp4.indexOf('moov')).toBeLessThan(mp4.indexOf('mdat'));
    expect(mp4.indexOf('moof')).toBe(-1);
    h264.close();
  });

  it('patchWebmHeader finds segment size and duration', () => {
    const header = Buffer.from([
      0x1a, 0x45, 0xdf, 0xa3, 0x80, 0x18, 0x53, 0x80, 0x67, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x15, 0x49, 0xa9, 0x66, 0x87, 0x44, 0x89, 0x84, 0,
      0, 0, 0,
    ]);
    const patches = patchWebmHeader(header, 1000, 5000);
    expect(patches[0]).toEqual({ position: 9, data: Buffer.from([0x01, 0, 0, 0, 0, 0, 0x03, 0xd7]) }); // 1000 - 17 = 983
    expect(patches[1].position).toBe(25);
    expect(patches[1].data.readFloatBE(0)).toBe(5000);
  });
});
