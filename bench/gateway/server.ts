/**
 * The benchmark's server process: one gateway (MemoryPlatform with 200 online users, real SQLite,
 * real HTTP) on a free port. Prints `port N` when ready. Meant to be pinned to one core.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startGateway } from '../../electron/gateway/testHarness';

const replayKey = (process.argv[2] ?? 'request') as 'request' | 'signature';
const h = await startGateway({ gateway: { replayKey } }, { dataDir: mkdtempSync(path.join(os.tmpdir(), 'gw-bench-')) });
for (let i = 1; i <= 200; i++) h.platform.login(10_000 + i, `user${i}`);
process.stdout.write(`port ${new URL(h.url).port}\n`);
const stop = () => void h.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
