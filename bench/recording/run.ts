/**
 * Recording bench, end to end (a script, not a test):
 *   npx tsx bench/recording/run.ts [--quick] [--steps 10,25,50,100] [--rooms 1,2] [--only single|rooms]
 * (the recorder's own cost without the transport: bench/recording/recorderOnly.ts)
 *
 * 1. Concurrent single-user recordings: the SFU runs in ONE media worker thread; one Node werift
 *    peer (main thread, real ICE/DTLS/SRTP on loopback) publishes N users' streams — each a
 *    synthetic VP8 video at 30 fps (~250 kbit/s, keyframe every 1 s) + Opus at 50 packets/s —
 *    and N stream-copy recordings run for 10 s. A step "holds" when every file has ≥ 98 % of the
 *    video frames its own duration calls for (counted by ffprobe) and the engine saw every packet
 *    sent. Reports worker busy (event-loop utilisation × wall time, i.e. share of one core) per
 *    recording.
 * 2. Room recordings (`--rooms 1,2`): K rooms of 3 publishers each are recorded at once for 10 s
 *    with the live composer (one ffmpeg per room fed over loopback RTP, plus the stream-copy safety
 *    net). Reports how many were composed live (the others fell back to composing the parts after
 *    stop), the time from stop to file, and the load average. `--only single|rooms` runs one part.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { MediaNode, RecordFlags, type Producer } from '../../electron/media/index';
import { findFfmpeg } from '../../electron/media/recorder/ffmpegLocator';
import { RoomRecording } from '../../electron/media/recorder/RoomRecording';
import { FfmpegRtpSource, relayTo } from '../../electron/media/testing/FfmpegRtpSource';
import { NodePeer, sleep, waitFor } from '../../electron/media/testing/NodePeer';

const quick = process.argv.includes('--quick');
const stepsArg = process.argv.find((a, i) => process.argv[i - 1] === '--steps');
const STEPS = stepsArg ? stepsArg.split(',').map(Number) : quick ? [10, 25] : [10, 25, 50, 75, 100];
const SECONDS = quick ? 5 : 10;
const roomsArg = process.argv.find((a, i) => process.argv[i - 1] === '--rooms');
const ROOM_STEPS = roomsArg ? roomsArg.split(',').map(Number) : quick ? [1] : [1, 2];
const only = process.argv.find((a, i) => process.argv[i - 1] === '--only');
type Dump = { rtpIn: number; elu: { idle: number; active: number } };

function videoFrames(file: string): { frames: number; duration: number } {
  const j = JSON.parse(
    execFileSync(
      'ffprobe',
      ['-v', 'error', '-count_packets', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_packets:format=duration', '-of', 'json', file],
      { encoding: 'utf8' },
    ),
  );
  return { frames: Number(j.streams[0]?.nb_read_packets ?? 0), duration: Number(j.format.duration) };
}

async function singleUserStep(n: number, port: number): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-rec-'));
  const node = await MediaNode.create({
    listenIp: '127.0.0.1',
    announcedIp: null,
    rtcMinPort: port,
    rtcMaxPort: port + 20,
    numWorkers: 1,
    recordingsDir: dir,
    ffmpegPath: null,
    logger: pino({ level: 'silent' }),
  });
  try {
    const router = await node.createRouter();
    const t = await router.createWebRtcTransport();
    const peer = await NodePeer.connect(t, (dtlsParameters) => t.connect({ dtlsParameters }));
    await waitFor(() => t.dtlsState === 'connected', 10_000, 'connected');
    const users: { audio: Producer; video: Producer }[] = [];
    for (let i = 0; i < n; i++) {
      const audio = await t.produce({
        kind: 'audio',
        rtpParameters: {
          mid: `a${i}`,
          codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }],
          encodings: [{ ssrc: 100000 + i }],
        },
      });
      const video = await t.produce({
        kind: 'video',
        rtpParameters: { mid: `v${i}`, codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000 }], encodings: [{ ssrc: 200000 + i }] },
      });
      users.push({ audio, video });
    }
    let frame = 0;
    let aSeq = 0;
    let sent = 0;
    const payloadKey = Buffer.concat([Buffer.from([0x10, 0x50, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x00, 0x30, 0x00]), Buffer.alloc(1000, 7)]);
    const payloadDelta = Buffer.concat([Buffer.from([0x10, 0x51, 0x00, 0x00]), Buffer.alloc(1000, 9)]);
    const audioPayload = Buffer.alloc(80, 0xf8);
    const started = Date.now();
    // paced by the wall clock: video 30 fps, audio 50 packets/s per user
    const timer = setInterval(() => {
      const dueFrames = Math.floor(((Date.now() - started) * 30) / 1000);
      while (frame < dueFrames) {
        const key = frame % 30 === 0;
        for (let i = 0; i < n; i++) {
          void peer
            .sendRtp(
              { ssrc: 200000 + i, payloadType: 96, sequenceNumber: frame & 0xffff, timestamp: (frame * 3000) >>> 0, marker: true },
              key ? payloadKey : payloadDelta,
            )
            .catch(() => undefined);
          sent++;
        }
        frame++;
      }
      const dueAudio = Math.floor(((Date.now() - started) * 50) / 1000);
      while (aSeq < dueAudio) {
        for (let i = 0; i < n; i++) {
          void peer
            .sendRtp({ ssrc: 100000 + i, payloadType: 111, sequenceNumber: aSeq & 0xffff, timestamp: (aSeq * 960) >>> 0 }, audioPayload)
            .catch(() => undefined);
          sent++;
        }
        aSeq++;
      }
    }, 10);
    await sleep(1500);
    // baseline: the same streams received and forwarded to nobody, no recording
    const b0 = (await node.dump())[0] as unknown as Dump;
    await sleep(3000);
    const b1 = (await node.dump())[0] as unknown as Dump;
    const baseBusy = (b1.elu.active - b0.elu.active) / (b1.elu.active - b0.elu.active + b1.elu.idle - b0.elu.idle);
    const d0 = (await node.dump())[0] as unknown as Dump;
    const sent0 = sent;
    const t0 = Date.now();
    const recs = await Promise.all(
      users.map((u, i) => node.startRecording({ router, userId: `b${i}`, producers: [u.audio, u.video], flags: RecordFlags.AUDIO | RecordFlags.VIDEO })),
    );
    await sleep(SECONDS * 1000);
    const results = await Promise.all(recs.map((r) => node.stopRecording(r)));
    const _wall = Date.now() - t0; // kept for ad-hoc prints; the figures below use the engine dump
    const d1 = (await node.dump())[0] as unknown as Dump;
    const sentDuring = sent - sent0;
    clearInterval(timer);
    const busyMs = d1.elu.active - d0.elu.active;
    const idleMs = d1.elu.idle - d0.elu.idle;
    const ratios = results.map((r) => {
      if (r.empty) return 0;
      const v = videoFrames(r.filePath);
      return v.frames / Math.max(1, Math.round(v.duration * 30));
    });
    const worst = Math.min(...ratios);
    const received = d1.rtpIn - d0.rtpIn;
    const lossPct = Math.max(0, (1 - received / sentDuring) * 100);
    const holds = worst >= 0.98 && lossPct < 1;
    const busy = busyMs / (busyMs + idleMs);
    const perRec = (busy - baseBusy) / n;
    console.log(
      `single-user  N=${String(n).padStart(3)}  worker busy ${(baseBusy * 100).toFixed(0)} % receiving only → ${(busy * 100).toFixed(0)} % recording` +
        `  (recording adds ${(perRec * 100).toFixed(2)} % of a core each ⇒ ~${perRec > 0 ? Math.floor(1 / perRec) : '∞'} recordings/core for the recorder alone)  packets into engine ${(100 - lossPct).toFixed(1)} %  worst file ${(worst * 100).toFixed(1)} % of frames  → ${holds ? 'holds' : 'DROPS'}`,
    );
    await peer.close();
  } finally {
    await node.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function roomStep(rooms: number, port: number): Promise<void> {
  const ffmpeg = findFfmpeg(null);
  if (!ffmpeg) return void console.log('room recordings: no ffmpeg found, composition not measured');
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-room-'));
  const node = await MediaNode.create({
    listenIp: '127.0.0.1',
    announcedIp: null,
    rtcMinPort: port,
    rtcMaxPort: port + 20 * rooms,
    numWorkers: 1,
    recordingsDir: dir,
    ffmpegPath: ffmpeg.path,
    logger: pino({ level: 'silent' }),
  });
  const sources: FfmpegRtpSource[] = [];
  const peers: NodePeer[] = [];
  try {
    const recs: RoomRecording[] = [];
    const roomPubs: { key: string; producerIds: string[] }[][] = [];
    for (let r = 0; r < rooms; r++) {
      const router = await node.createRouter();
      const pubs: { key: string; producerIds: string[] }[] = [];
      for (let i = 0; i < 3; i++) {
        const t = await router.createWebRtcTransport();
        const peer = await NodePeer.connect(t, (dtlsParameters) => t.connect({ dtlsParameters }));
        peers.push(peer);
        const a = await t.produce({
          kind: 'audio',
          rtpParameters: { mid: '0', codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }], encodings: [{ ssrc: 10 + i }] },
        });
        const v = await t.produce({
          kind: 'video',
          rtpParameters: { mid: '1', codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000 }], encodings: [{ ssrc: 20 + i }] },
        });
        sources.push(
          await FfmpegRtpSource.start({
            seconds: SECONDS + 15,
            toneHz: 400 * (i + 1),
            width: 320,
            height: 240,
            fps: 15,
            onPacket: relayTo(peer, { audio: 10 + i, video: 20 + i }),
          }),
        );
        pubs.push({ key: `u${i}`, producerIds: [a.id, v.id] });
      }
      roomPubs.push(pubs);
      recs.push(
        new RoomRecording({
          node,
          router,
          ffmpegPath: ffmpeg.path,
          filePath: path.join(dir, `room${r}.webm`),
          layout: { width: 640, height: 480, fps: 15, video: 'grid', audio: 'mix' },
          flags: 0,
          logger: pino({ level: 'silent' }),
        }),
      );
    }
    await sleep(1500);
    const load0 = loadavg()[0];
    const cpu0 = process.cpuUsage();
    await Promise.all(recs.map((rec, r) => rec.update(roomPubs[r])));
    await sleep(SECONDS * 1000);
    const loadLive = loadavg()[0];
    const t0 = Date.now();
    const results = await Promise.all(recs.map((rec) => rec.stop()));
    const stopMs = Date.now() - t0;
    for (const s of sources) await s.stop();
    void cpu0;
    const live = results.filter((r) => r.composition === 'live').length;
    console.log(
      `room recordings ×${rooms} (3 publishers each, 640x480 grid, ${SECONDS} s): ${live}/${rooms} composed live` +
        ` (${results.map((r) => `${r.composition ?? 'none'} ${r.durationSeconds.toFixed(1)} s`).join(', ')}${results.some((r) => r.error) ? `; error: ${results.find((r) => r.error)?.error}` : ''});` +
        ` stop → file ${(stopMs / 1000).toFixed(1)} s; load average ${load0.toFixed(1)} before, ${loadLive.toFixed(1)} while recording`,
    );
  } finally {
    for (const s of sources) await s.stop().catch(() => undefined);
    for (const p of peers) await p.close().catch(() => undefined);
    await node.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`recording bench: ${cpus().length} cores, ${SECONDS} s per step, load average now ${(await import('node:os')).loadavg()[0].toFixed(1)}`);
let port = 46000;
if (!only || only === 'single')
  for (const n of STEPS) {
    await singleUserStep(n, port);
    port += 40;
  }
if (!only || only === 'rooms')
  for (const n of ROOM_STEPS) {
    await roomStep(n, 46900);
  }
