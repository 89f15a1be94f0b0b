/**
 * Room composition: three publishers (real VP8 + Opus from ffmpeg sources, each with its own
 * tone), the third joining mid-way, composed live by an external ffmpeg fed over loopback RTP
 * (or, where it fell behind, from the stream-copied parts after stop — the test prints which). The file has one video stream of the composed size, one audio stream
 * with energy at each publisher's tone, decodes without error and has Cues.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { MediaNode, type Producer } from '../index';
import { FfmpegRtpSource, relayTo } from '../testing/FfmpegRtpSource';
import { NodePeer, sleep, waitFor } from '../testing/NodePeer';
import { buildFilterGraph, buildLiveGraph, layoutCells } from './compositeGraph';
import { buildSdp } from './liveSdp';
import { RoomRecording } from './RoomRecording';
import { findFfmpeg } from './ffmpegLocator';
import { decodeErrors, hasFfmpegTools, probe, toneLevelDb, webmHasCues } from './fileChecks';

const TONES = [440, 1200, 3000];

describe('composition graph', () => {
  it('grid cells cover the canvas; pip and abreast place the main source first', () => {
    const L = { width: 640, height: 480, fps: 15, video: 'grid', audio: 'mix' } as const;
    expect(layoutCells(3, L)).toEqual([
      { x: 0, y: 0, w: 320, h: 240 },
      { x: 320, y: 0, w: 320, h: 240 },
      { x: 0, y: 240, w: 320, h: 240 },
    ]);
    expect(layoutCells(2, { ...L, video: 'abreast' })).toEqual([
      { x: 0, y: 0, w: 320, h: 480 },
      { x: 320, y: 0, w: 320, h: 480 },
    ]);
    expect(layoutCells(2, { ...L, video: 'pip' })[0]).toEqual({ x: 0, y: 0, w: 640, h: 480 });
    const parts = [
      { source: 0, offset: 0, hasVideo: true, hasAudio: true },
      { source: 1, offset: 2.5, hasVideo: false, hasAudio: true },
    ];
    const g = buildFilterGraph(parts, 2, L);
    expect(g).toContain('amix=inputs=3');
    expect(g).toContain('adelay=2500|2500');
    expect(g).toContain('[0:v][pv0]overlay=0:0');
    expect(buildFilterGraph(parts, 2, { ...L, audio: 'stereo' })).toContain('join=inputs=2:channel_layout=stereo');
  });

  it('live segment: one SDP input, canvas and silence inside the graph, paced only without live media', () => {
    const L = { width: 640, height: 480, fps: 15, video: 'grid', audio: 'mix' } as const;
    const streams = [
      { source: 0, kind: 'audio', index: 0 },
      { source: 0, kind: 'video', index: 1 },
      { source: 2, kind: 'video', index: 2 },
    ] as const;
    const g = buildLiveGraph([...streams], 3, L);
    expect(g).toContain('color=c=black:s=640x480:r=15[canvas]');
    expect(g).toContain('[0:1]fps=15,scale=320:240');
    expect(g).toContain('[cv1][pv2]overlay=0:240'); // the third source keeps its cell
    expect(g).toContain('[silence][a0]amix=inputs=2');
    expect(g).not.toMatch(/realtime/);
    expect(g).not.toMatch(/\[[12]:/); // no input but the SDP
    const audioOnly = buildLiveGraph([streams[0]], 1, L);
    expect(audioOnly).toContain('r=15,realtime[canvas]');
    expect(buildLiveGraph([streams[1]], 1, L)).toContain('anullsrc=r=48000:cl=stereo,arealtime[silence]');
  });

  it('live segment SDP: one m= line per stream on its port, codec and fmtp', () => {
    const sdp = buildSdp([
      { kind: 'audio', port: 40000, payloadType: 100, mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
      {
        kind: 'video',
        port: 40002,
        payloadType: 101,
        mimeType: 'video/H264',
        clockRate: 90000,
        parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f' },
      },
    ]);
    expect(sdp.split('\r\n')).toEqual(
      expect.arrayContaining([
        'm=audio 40000 RTP/AVP 100',
        'a=rtpmap:100 opus/48000/2',
        'm=video 40002 RTP/AVP 101',
        'a=rtpmap:101 H264/90000',
        'a=fmtp:101 packetization-mode=1;profile-level-id=42e01f',
      ]),
    );
  });
});

describe.skipIf(!hasFfmpegTools)('room composition (external ffmpeg)', () => {
  let node: MediaNode | undefined;
  const sources: FfmpegRtpSource[] = [];
  const peers: NodePeer[] = [];
  afterAll(async () => {
    for (const s of sources) await s.stop();
    for (const p of peers) await p.close();
    await node?.close();
  });

  it('3 publishers with different tones, one joining mid-way → one 640x480 video, audio with every tone', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rec-room-'));
    const ffmpegPath = findFfmpeg(null)!.path;
    node = await MediaNode.create({
      listenIp: '127.0.0.1',
      announcedIp: null,
      rtcMinPort: 45500,
      rtcMaxPort: 45560,
      numWorkers: 0,
      recordingsDir: dir,
      ffmpegPath,
      logger: pino({ level: 'silent' }),
    });
    const router = await node.createRouter();
    const pubs: { key: string; producers: Producer[] }[] = [];
    for (let i = 0; i < 3; i++) {
      const t = await router.createWebRtcTransport();
      const peer = await NodePeer.connect(t, (dtlsParameters) => t.connect({ dtlsParameters }));
      peers.push(peer);
      await waitFor(() => t.dtlsState === 'connected', 5000, 'connected');
      const a = await t.produce({
        kind: 'audio',
        rtpParameters: { mid: '0', codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }], encodings: [{ ssrc: 100 + i }] },
      });
      const v = await t.produce({
        kind: 'video',
        rtpParameters: { mid: '1', codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000 }], encodings: [{ ssrc: 200 + i }] },
      });
      sources.push(
        await FfmpegRtpSource.start({
          seconds: 30,
          toneHz: TONES[i],
          width: 160,
          height: 120,
          fps: 15,
          onPacket: relayTo(peer, { audio: 100 + i, video: 200 + i }),
        }),
      );
      pubs.push({ key: `u${i}`, producers: [v, a] });
    }
    await sleep(1000);
    const rec = new RoomRecording({
      node,
      router,
      ffmpegPath,
      filePath: path.join(dir, 'room.webm'),
      layout: { width: 640, height: 480, fps: 15, video: 'grid', audio: 'mix' },
      logger: pino({ level: process.env.TEST_LOG ?? 'silent' }),
      flags: 0,
    });
    const src = (n: number) => pubs.slice(0, n).map((p) => ({ key: p.key, producerIds: p.producers.map((x) => x.id) }));
    await rec.update(src(2));
    await sleep(4000);
    await rec.update(src(3)); // the third publisher joins: new segment with a 3-cell grid
    await sleep(5000);
    const res = await rec.stop();
    expect(res.error).toBeUndefined();
    expect(decodeErrors(res.filePath)).toBe('');
    expect(webmHasCues(res.filePath)).toBe(true);
    const info = probe(res.filePath);
    expect(info.streams.filter((s) => s.codec_type === 'video')).toEqual([expect.objectContaining({ codec_name: 'vp8', width: 640, height: 480 })]);
    expect(info.streams.filter((s) => s.codec_type === 'audio')).toEqual([expect.objectContaining({ codec_name: 'opus' })]);
    expect(info.duration).toBeGreaterThan(8);
    expect(info.duration).toBeLessThan(13);
    const levels = TONES.map((hz) => toneLevelDb(res.filePath, hz));
    const silentBand = toneLevelDb(res.filePath, 7000);
    console.log(
      `tone levels ${TONES.map((hz, i) => `${hz} Hz ${levels[i].toFixed(1)} dB`).join(', ')}; 7000 Hz ${silentBand.toFixed(1)} dB; ${info.duration.toFixed(1)} s; composed ${res.composition}`,
    );
    for (const l of levels) expect(l).toBeGreaterThan(silentBand + 15);
  }, 360_000);
});
