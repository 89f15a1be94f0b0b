/**
 * The demo's finished recordings: at a fresh install, record publishing bots for a few seconds
 * each through the SDK (server-side, audio + video) until the index holds DEMO_RECORDINGS of them.
 */
import type { AnyChatSdk } from '../sdk';
import type { FileIndex } from '../gateway/platformPort';
import { DEMO_BOTS, DEMO_RECORDINGS } from './demoContent';
import { pause } from './scenes/Scene';

/** Record flags (seed): 0x1 video, 0x2 audio, 0x4 server-side. */
const FLAGS = 0x1 | 0x2 | 0x4;
const SECONDS = 5;
const TYPE_RECORD = 1;

export async function demoRecordingCount(files: FileIndex): Promise<number> {
  let n = 0;
  for (const b of DEMO_BOTS)
    n += (await files.query({ fromMs: 0, toMs: Date.now() + 60_000, typeMask: TYPE_RECORD, userId: b.userId, exactName: false, offset: 0, limit: 1 })).total;
  return n;
}

export async function makeDemoRecordings(sdk: AnyChatSdk, files: FileIndex, userIds: number[], signal: AbortSignal): Promise<number> {
  let made = 0;
  const needed = DEMO_RECORDINGS - (await demoRecordingCount(files));
  // Let the bots' media settle (first key frame at the node) before recording.
  if (needed > 0) await pause(3000, signal);
  for (let i = 0; made < needed && !signal.aborted && userIds.length; i++) {
    const userId = userIds[i % userIds.length]!;
    if (!sdk.isOnline(userId)) return made;
    await sdk.streamRecordCtrl(userId, true, FLAGS, 0, 'demo recording');
    await pause(SECONDS * 1000, signal);
    await sdk.streamRecordCtrl(userId, false);
    made++;
  }
  return made;
}
