/**
 * Test child: logs as fast as it can into DATA_DIR (a tiny tmpfs the test mounted, so writes
 * fail with ENOSPC) and stops on SIGTERM the way the host does: flush the log, exit 0.
 */
import { createLogger } from '../logger';

const dataDir = process.argv[2];
const { logger, flush } = createLogger({ dataDir, level: 'info', stdout: false, maxSizeMb: 1, maxFiles: 2 });
let i = 0;
const pad = 'z'.repeat(300);
const timer = setInterval(() => {
  for (let k = 0; k < 200; k++) logger.info({ i: i++, pad }, 'filling the disk');
}, 5);
setTimeout(() => process.stdout.write('logging\n'), 300);
process.once('SIGTERM', () => {
  clearInterval(timer);
  logger.info('shutdown requested');
  void flush().then(() => {
    process.stdout.write(`stopped after ${i} lines\n`);
    process.exit(0);
  });
});
