/**
 * The recorder alone:   npx tsx bench/recording/recorderOnly.ts [--seconds 10] [--steps 25,50,100,200]
 *
 * N single-user stream-copy recordings (Recording.ts, the code that runs inside a media worker)
 * are fed in real time with what a producer would hand them — VP8 at 30 fps (~250 kbit/s, 3 RTP
 * packets per frame, keyframe every second) + Opus at 50 packets/s — without the transport
 * (ICE/DTLS/SRTP is the SFU's cost, measured by bench/media). Prints this process's CPU per
 * second of media, i.e. how many recordings one core sustains, whether the pacing loop kept up,
 * and whether every file holds every frame (ffprobe). A step "holds" when each file has ≥ 99 % of
 * the frames sent (the pacing lag is printed too: on a shared machine it is mostly the scheduler).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import type { ForwardPacket, PacketSource as EngineProducer, ProducerStream } from '../../electron/media/engine/types';
import { Recording } from '../../electron/media/recorder/Recording';

const arg = (name: string) => process.argv.find((_, i) => process.argv[i - 1] === name);
const SECONDS = Number(arg('--seconds') ?? 10);
const STEPS = (arg('--steps') ?? '25,50,100,200').split(',').map(Number);

/** The parts of a producer a recorder touches. */
function fakeProducer(kind: 'audio' | 'video'): EngineProducer {
  const stream = { index: 0 } as ProducerStream;
  return {
    kind,
    mimeType: kind === 'audio' ? 'audio/opus' : 'video/VP8',
    clockRate: kind === 'audio' ? 48000 : 90000,
    streams: [stream],
    sinks: new Set(),
    requestKeyFrameAll() {},
  } as unknown as EngineProducer;
}

function framesIn(file: string): number {
  const j = JSON.parse(
    execFileSync('ffprobe', ['-v', 'error', '-count_packets', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_packets', '-of', 'json', file], {
      encoding: 'utf8',
    }),
  );
  return Number(j.streams[0]?.nb_read_packets ?? 0);
}

async function step(n: number): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-rec-only-'));
  const users = Array.from({ length: n }, () => ({ audio: fakeProducer('audio'), video: fakeProducer('video') }));
  const recs = users.map((u, i) => new Recording(`r${i}`, [u.audio, u.video], 0x3, dir, `b${i}`, (e) => console.error('recording error', e.message)));
  await Promise.all(recs.map((r) => r.start()));
  const key = Buffer.concat([Buffer.from([0x10, 0x50, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x00, 0x30, 0x00]), Buffer.alloc(330, 7)]);
  const part = Buffer.concat([Buffer.from([0x00]), Buffer.alloc(340, 8)]);
  const delta = Buffer.concat([Buffer.from([0x10, 0x51, 0x00, 0x00]), Buffer.alloc(330, 9)]);
  const opus = Buffer.alloc(80, 0xf8);
  let frame = 0;
  let aSeq = 0;
  let maxLag = 0;
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      const due = Math.min(SECONDS * 30, Math.floor(((now - started) * 30) / 1000));
      if (due - frame > 1) maxLag = Math.max(maxLag, ((due - frame) * 1000) / 30);
      while (frame < due) {
        const k = frame % 30 === 0;
        for (let i = 0; i < n; i++) {
          const v = users[i].video;
          // 3 packets per frame: the first carries the descriptor with S=1
          const pkts = [k ? key : delta, part, part];
          pkts.forEach((payload, j) => {
            const fp: ForwardPacket = {
              seq: (frame * 3 + j) & 0xffff,
              timestamp: (frame * 3000) >>> 0,
              marker: j === 2,
              payloadType: 96,
              payload,
              keyframe: k && j === 0,
            };
            recs[i].onPacket(fp, v.streams[0], v, now);
          });
        }
        frame++;
      }
      const dueA = Math.min(SECONDS * 50, Math.floor(((now - started) * 50) / 1000));
      while (aSeq < dueA) {
        for (let i = 0; i < n; i++) {
          const a = users[i].audio;
          recs[i].onPacket(
            { seq: aSeq & 0xffff, timestamp: (aSeq * 960) >>> 0, marker: false, payloadType: 111, payload: opus, keyframe: false },
            a.streams[0],
            a,
            now,
          );
        }
        aSeq++;
      }
      if (frame >= SECONDS * 30 && aSeq >= SECONDS * 50) resolve();
      else setTimeout(tick, 5);
    };
    tick();
  });
  const results = await Promise.all(recs.map((r) => r.stop()));
  const cpu = process.cpuUsage(cpu0);
  const cpuSec = (cpu.user + cpu.system) / 1e6;
  const perRecording = cpuSec / (n * SECONDS); // core-seconds per media second
  const counts = results.map((r) => framesIn(r.livePath ?? r.filePath));
  const worst = Math.min(...counts) / (SECONDS * 30);
  const holds = worst >= 0.99; // lag is reported: on a shared machine it is the scheduler, not the recorder
  console.log(
    `N=${String(n).padStart(4)}  CPU ${((cpuSec / SECONDS) * 100).toFixed(0).padStart(3)} % of a core  (${(perRecording * 1000).toFixed(2)} ms per media second each ⇒ ~${Math.floor(1 / perRecording)} recordings/core)` +
      `  pacing lag max ${maxLag.toFixed(0)} ms  worst file ${(worst * 100).toFixed(1)} % of frames  → ${holds ? 'holds' : 'DROPS'}`,
  );
  rmSync(dir, { recursive: true, force: true });
}

console.log(`recorder alone: ${SECONDS} s per step; load average now ${loadavg()[0].toFixed(1)} (other work shares these cores)`);
for (const n of STEPS) await step(n);
