/**
 * Media worker entry (worker_threads). Bundled to out/main/mediaWorker.js; run from source under
 * tsx in tests. Receives control requests, runs the data plane, posts notifications/responses.
 */
import { parentPort } from 'node:worker_threads';
import { Engine } from '../engine/Engine';
import { toWireError, type MainToWorker, type WorkerToMain } from '../engine/protocol';

if (!parentPort) throw new Error('mediaWorker must run in a worker thread');
const port = parentPort;
let engine: Engine | undefined;
const post = (m: WorkerToMain) => port.postMessage(m);

port.on('message', (m: MainToWorker) => {
  if (m.type === 'init') {
    engine = new Engine(
      m.settings,
      (notification) => post({ type: 'notification', notification }),
      (level, msg, data) => post({ type: 'log', level, msg, data }),
    );
    post({ type: 'ready' });
    return;
  }
  if (m.type === 'request') {
    if (!engine) {
      post({ type: 'response', id: m.id, ok: false, error: toWireError(new Error('engine not initialised')) });
      return;
    }
    engine.handle(m.method, m.data as never).then(
      (data) => post({ type: 'response', id: m.id, ok: true, data }),
      (e: unknown) => post({ type: 'response', id: m.id, ok: false, error: toWireError(e) }),
    );
  }
});
