/**
 * The Quit decision on a real running core: real signaling clients over WebSocket enter a room,
 * and the counts (hence whether Quit asks) follow them; stopping tells the clients.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnyChatClient, type SocketLike } from '../../shared/client';
import { bootstrap, type RunningApp } from '../core/bootstrap';
import { DesktopNotifier, type DesktopNotice } from './desktopNotifications';
import { liveCounts } from './liveCounts';
import { quitConfirmation } from './quitDecision';

let running: RunningApp;

beforeAll(async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'live-counts-'));
  const configFile = path.join(dataDir, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      users: [
        { userName: 'alice', password: 'alice-pw', userId: 1001 },
        { userName: 'bob', password: 'bob-pw', userId: 1002 },
      ],
      log: { level: 'warn' },
    }),
  );
  const rendererDir = fileURLToPath(new URL('../../out/renderer/', import.meta.url));
  running = await bootstrap({ argv: ['--config', configFile, '--data-dir', dataDir, '--port', '0'], rendererDir });
});

afterAll(async () => {
  await running?.stop();
});

async function client(userName: string, password: string): Promise<AnyChatClient> {
  const c = await AnyChatClient.connect(`${running.url.replace(/^http/, 'ws')}/ws`, (u) => new WebSocket(u) as unknown as SocketLike);
  await c.login(userName, password);
  return c;
}

describe('desktop notifications on a real core', () => {
  it("a worker restart and a failed recording reach the desktop through the core's alert event", async () => {
    const seen: DesktopNotice[] = [];
    const notifier = new DesktopNotifier((n) => seen.push(n));
    const off = running.core.components.observability.on('alert', (a) => void notifier.onAlert(a));
    const media = running.core.components.media;
    media.emit('workerrestarted', { workerId: 99 });
    media.emit('recordingerror', { recordingId: 'rec-9', error: new Error('no space left on device') });
    off();
    media.emit('workerrestarted', { workerId: 98 });
    expect(seen.map((n) => n.kind)).toEqual(['worker-restart', 'recording-failed']);
    expect(seen[1].body).toContain('no space left on device');
  });
});

describe('live counts for the Quit confirmation (real core, real clients)', () => {
  it('users in the lobby do not make Quit ask; a live room does, naming it; leaving ends it', async () => {
    expect(await liveCounts(running.service, 'op')).toEqual({ rooms: 0, users: 0, calls: 0, recordings: 0 });
    const alice = await client('alice', 'alice-pw');
    const bob = await client('bob', 'bob-pw');
    const lobby = await liveCounts(running.service, 'op');
    expect(lobby).toEqual({ rooms: 0, users: 2, calls: 0, recordings: 0 });
    expect(quitConfirmation(lobby)).toBeNull();

    await alice.enterRoom({ roomId: 7 });
    await bob.enterRoom({ roomId: 7 });
    const inRoom = await liveCounts(running.service, 'op');
    expect(inRoom).toMatchObject({ rooms: 1, users: 2 });
    expect(quitConfirmation(inRoom)?.message).toBe('Quit AnyChat Console with 1 live room?');

    await alice.leaveRoom();
    await bob.leaveRoom();
    await expect.poll(async () => (await liveCounts(running.service, 'op')).rooms).toBe(0);
    expect(quitConfirmation(await liveCounts(running.service, 'op'))).toBeNull();

    // Quit confirmed: the graceful stop closes every client with 1001 "server shutting down".
    const closed = alice.next('close', () => true, 20_000);
    await running.stop();
    expect(await closed).toEqual({ code: 1001, reason: 'server shutting down' });
    expect(bob.closeInfo?.code).toBe(1001);
  });
});
