/**
 * A media worker that starts, says ready, and never answers a request: the channel's timeout test
 * runs it in place of the real engine.
 */
import { parentPort } from 'node:worker_threads';
import type { MainToWorker, WorkerToMain } from '../engine/protocol';

if (!parentPort) throw new Error('silentWorker must run in a worker thread');
const port = parentPort;
port.on('message', (m: MainToWorker) => {
  if (m.type === 'init') port.postMessage({ type: 'ready' } satisfies WorkerToMain);
});
