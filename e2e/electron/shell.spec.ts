/**
 * The Electron shell itself (`_electron.launch`): the window opens on app://console, a first run
 * puts config, store and logs under userData, closing the window hides it to the tray while
 * clients keep chatting, and Quit with a live room asks first (then stops and tells clients).
 *
 * Runs only where the Electron runtime is installed and a display exists; otherwise every test
 * reports itself skipped with the reason. userData is redirected the way a desktop sets it
 * (XDG_CONFIG_HOME on Linux, HOME elsewhere) into a temporary directory.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';
import { componentNames } from '../../shared/status';
import type { AnyChatClient } from '../../shared/client';
import { signedInClient } from '../console-screens/clients';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '../..');

function electronRuntime(): { binary: string | null; reason: string } {
  try {
    const binary = require('electron') as unknown;
    if (typeof binary === 'string' && existsSync(binary)) {
      if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
        return { binary: null, reason: 'no display (set DISPLAY, e.g. under xvfb-run) for the Electron window' };
      }
      return { binary, reason: '' };
    }
    return { binary: null, reason: 'Electron runtime binary is missing (its download is not reachable here)' };
  } catch (err) {
    return { binary: null, reason: `Electron runtime is not installed: ${(err as Error).message.split('\n')[0]}` };
  }
}

const runtime = electronRuntime();
const home = mkdtempSync(path.join(os.tmpdir(), 'anychat-electron-home-'));
/** app.getPath('userData') as the first test found it. */
let userData = '';

/** Starts the app with userData under `home`; resolves with the URL it prints once serving. */
async function launch(): Promise<{ app: ElectronApplication; url: string }> {
  const app = await electron.launch({
    executablePath: runtime.binary!,
    // Chromium refuses to run as root with its OS sandbox (CI containers); the test-only switch
    // leaves the app's own webPreferences (sandbox, contextIsolation) unchanged.
    args: ['.', '--port', '0', ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
    cwd: root,
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), APPDATA: path.join(home, 'AppData') } as Record<string, string>,
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no "listening" line within 60 s: ${out}`)), 60_000);
    app.process().stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
  return { app, url };
}

/** Replaces the native message box in the main process with one that records and answers. */
async function answerDialogs(app: ElectronApplication, response: number): Promise<void> {
  await app.evaluate(({ dialog }, answer) => {
    const g = globalThis as unknown as { prompts?: { message: string; detail?: string }[] };
    g.prompts ??= [];
    dialog.showMessageBox = (async (...args: unknown[]) => {
      const options = args.find((a): a is { message: string; detail?: string } => typeof a === 'object' && a !== null && 'message' in a);
      g.prompts!.push({ message: options?.message ?? '', detail: options?.detail });
      return { response: answer, checkboxChecked: false };
    }) as typeof dialog.showMessageBox;
  }, response);
}

async function prompts(app: ElectronApplication): Promise<{ message: string; detail?: string }[]> {
  return app.evaluate(() => (globalThis as unknown as { prompts?: { message: string; detail?: string }[] }).prompts ?? []);
}

async function chat(from: AnyChatClient, fromId: number, to: AnyChatClient, toId: number, text: string): Promise<void> {
  const received = to.next('textMessage', (m) => m.srcUserId === fromId && m.text === text);
  await from.sendTextMessage(toId, text);
  await received;
}

test.describe.configure({ mode: 'serial' });

test.describe('Electron shell', () => {
  test.skip(runtime.binary === null, runtime.reason);

  test('first run: the window opens on app://console and config, store and logs land under userData', async () => {
    const { app } = await launch();
    try {
      const win = await app.firstWindow();
      expect(win.url()).toMatch(/^app:\/\/console\//);
      // No Node in the page, and only the contract's API on the bridge.
      const page = await win.evaluate(() => {
        const g = globalThis as unknown as { require?: unknown; process?: unknown; anychatConsole?: Record<string, unknown> };
        return { require: typeof g.require, process: typeof g.process, api: Object.keys(g.anychatConsole ?? {}).sort() };
      });
      expect(page.require).toBe('undefined');
      expect(page.process).toBe('undefined');
      expect(page.api).toContain('status:snapshot');
      for (const name of componentNames) await expect(win.getByTestId(`status-${name}`)).toBeVisible();

      userData = await app.evaluate(({ app: a }) => a.getPath('userData'));
      // Linux derives userData from XDG_CONFIG_HOME, so this run's is inside the temporary home.
      if (process.platform === 'linux') expect(userData).toBe(path.join(home, '.config', 'AnyChat Console'));
      expect(existsSync(path.join(userData, 'config.json'))).toBe(true);
      expect(existsSync(path.join(userData, 'data', 'anychat.sqlite'))).toBe(true);
      expect(existsSync(path.join(userData, 'data', 'logs', 'anychat-console.log'))).toBe(true);
      expect(existsSync(path.join(userData, 'data', 'recordings'))).toBe(true);
    } finally {
      // Nothing is live, so Quit does not ask: close() quits and waits for the exit.
      await app.close();
    }
  });

  test('closing the window hides it to the tray while clients keep chatting; Quit with a live room asks first', async () => {
    // The operator edits the config the first run wrote: two users for the clients.
    expect(userData, 'the first-run test sets userData').not.toBe('');
    const configFile = path.join(userData, 'config.json');
    const config = JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>;
    config.users = [
      { userName: 'alice', password: 'alice-pw', userId: 1001 },
      { userName: 'bob', password: 'bob-pw', userId: 1002 },
    ];
    writeFileSync(configFile, JSON.stringify(config, null, 2));

    const { app, url } = await launch();
    const alice = await signedInClient(url, 'alice', 'alice-pw');
    const bob = await signedInClient(url, 'bob', 'bob-pw');
    try {
      const win = await app.firstWindow();
      await expect(win.getByTestId('status-core')).toBeVisible();
      await alice.enterRoom({ roomId: 7 });
      await bob.enterRoom({ roomId: 7 });
      await chat(alice, 1001, bob, 1002, 'before close');

      // Close the window the way its close button does.
      await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0].close());
      await expect
        .poll(() => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().map((w) => ({ visible: w.isVisible(), destroyed: w.isDestroyed() }))))
        .toEqual([{ visible: false, destroyed: false }]);
      await chat(bob, 1002, alice, 1001, 'while hidden');
      await chat(alice, 1001, bob, 1002, 'still here');
      expect(alice.isOpen && bob.isOpen).toBe(true);

      // Quit with a live room: the app asks, naming the counts; Cancel keeps everything serving.
      await answerDialogs(app, 1);
      await app.evaluate(({ app: a }) => a.quit());
      await expect.poll(async () => (await prompts(app)).length).toBe(1);
      const [asked] = await prompts(app);
      expect(asked.message).toContain('1 live room');
      expect(asked.detail).toContain('2 users are online');
      await chat(bob, 1002, alice, 1001, 'after cancel');
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0].isVisible())).toBe(true);

      // Quit confirmed: the platform stops and the clients are told it is shutting down.
      await answerDialogs(app, 0);
      const aliceClosed = alice.next('close', () => true, 30_000);
      const exited = new Promise<number | null>((resolve) => app.process().once('exit', (code) => resolve(code)));
      await app.evaluate(({ app: a }) => a.quit()).catch(() => undefined);
      expect((await aliceClosed).code).toBe(1001);
      expect(alice.closeInfo?.reason).toBe('server shutting down');
      expect(await exited).toBe(0);
    } finally {
      alice.close();
      bob.close();
      if (app.process().exitCode === null) await app.evaluate(({ app: a }) => a.exit(0)).catch(() => undefined);
    }
  });
});
