#!/usr/bin/env node
/**
 * `npm test`: type-check → lint (ESLint) → format (Prettier) → unit/integration (vitest) → build →
 * e2e (Playwright, Debian Chromium).
 * Every stage runs even after a failure so one run shows everything; the last line sums the
 * counts of both runners as `tests: N passed, N failed, N skipped`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

mkdirSync('out', { recursive: true });
const stages = [];
let passed = 0;
let failed = 0;
let skipped = 0;

function stage(name, cmd, args, env = {}) {
  const t0 = Date.now();
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = r.status === 0;
  stages.push(`${ok ? 'ok  ' : 'FAIL'} ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return ok;
}

const typecheckOk = stage('type-check', 'npx', ['tsc', '-b']);
if (!typecheckOk) failed++;
if (!stage('lint', 'npx', ['eslint', '.'])) failed++;
if (!stage('format', 'npx', ['prettier', '--check', '.'])) failed++;

rmSync('out/vitest.json', { force: true });
stage('unit + integration', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile=out/vitest.json']);
if (existsSync('out/vitest.json')) {
  const v = JSON.parse(readFileSync('out/vitest.json', 'utf8'));
  passed += v.numPassedTests ?? 0;
  failed += (v.numFailedTests ?? 0) + (v.numFailedTestSuites && !v.numFailedTests ? v.numFailedTestSuites : 0);
  skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
} else failed++;

const buildOk = stage('build', 'npm', ['run', 'build', '--silent']);
if (!buildOk) failed++;
else {
  rmSync('out/playwright.json', { force: true });
  stage('e2e', 'npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: 'out/playwright.json' });
  if (existsSync('out/playwright.json')) {
    const s = JSON.parse(readFileSync('out/playwright.json', 'utf8')).stats ?? {};
    passed += (s.expected ?? 0) + (s.flaky ?? 0);
    failed += s.unexpected ?? 0;
    skipped += s.skipped ?? 0;
    if ((s.expected ?? 0) + (s.unexpected ?? 0) === 0 && !(s.skipped > 0)) failed++;
  } else failed++;
}

console.log('\n' + stages.join('\n'));
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
