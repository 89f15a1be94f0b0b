#!/usr/bin/env node
/**
 * `npm start`: builds, then runs the Electron app. Where the Electron runtime is missing and
 * cannot be downloaded (or cannot run: no display), it says so in one line and serves the same
 * console on the headless host instead. Extra arguments go to the app (e.g. `-- --config FILE`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

function run(cmd, cmdArgs, opts = {}) {
  return spawnSync(cmd, cmdArgs, { stdio: 'inherit', cwd: root, ...opts });
}

/** Path of the Electron binary, or null with the reason it is unusable. */
function electronRuntime() {
  let electronDir;
  try {
    electronDir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return { binary: null, reason: 'the electron package is not installed' };
  }
  // Read the package's path.txt ourselves: require('electron') would start a download with its
  // output on our terminal ("Downloading Electron binary... TypeError: fetch failed").
  const tryResolve = () => {
    try {
      const binary = path.join(electronDir, 'dist', readFileSync(path.join(electronDir, 'path.txt'), 'utf8').trim());
      return existsSync(binary) ? binary : null;
    } catch {
      return null;
    }
  };
  let binary = tryResolve();
  if (binary) return { binary, reason: null };
  // Electron ≥ 45 downloads its runtime lazily; try once, quietly, with a time limit.
  const install = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], { cwd: electronDir, encoding: 'utf8', timeout: 120_000 });
  binary = tryResolve();
  if (binary) return { binary, reason: null };
  const why = (install.stderr || install.stdout || '').split('\n').find((l) => /error|fail|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|timed out/i.test(l));
  return { binary: null, reason: `the Electron runtime is missing and could not be downloaded${why ? ` (${why.trim().slice(0, 120)})` : ''}` };
}

const build = run('npm', ['run', 'build', '--silent']);
if (build.status !== 0) process.exit(build.status ?? 1);

const { binary, reason } = electronRuntime();
const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
if (binary && hasDisplay) {
  const child = spawn(binary, ['.', ...args], { stdio: 'inherit', cwd: root });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  const why = reason ?? 'no display is available for the Electron window';
  console.log(`Electron cannot start here: ${why}; starting the headless host instead — open the URL below in a browser.`);
  const child = spawn(process.execPath, [path.join(root, 'out/main/host.js'), ...args], { stdio: 'inherit', cwd: root });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
}
