/**
 * Playwright drives Debian's Chromium (never a downloaded browser) against the headless host,
 * which each spec starts itself with its own data dir (e2e/fixtures/host.ts). Electron specs
 * (e2e/electron/) skip themselves, with the reason, where the Electron runtime is missing.
 */
import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumPath } from './e2e/fixtures/chromium';

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  timeout: 90_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'out/playwright-report' }]],
  outputDir: 'out/test-results',
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
    screenshot: 'on',
    trace: 'retain-on-failure',
  },
});
