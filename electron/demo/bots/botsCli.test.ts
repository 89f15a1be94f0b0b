/**
 * `npm run bots` against a real test host (the headless host from source, its own data dir):
 * 2 rooms × (2 publishers + 2 viewers) for 10 s over real WebSockets and ICE/DTLS/SRTP. The
 * summary must show every viewer received audio and video from every publisher of its room.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProcess, startSourceHost, type SourceHost } from '../__scenarios__/sourceHost';
import type { LoadTestSummary } from './loadTest';

let host: SourceHost | null = null;

beforeAll(async () => {
  host = await startSourceHost({ media: { rtcMinPort: 46500, rtcMaxPort: 46799 } });
}, 60_000);

afterAll(async () => {
  expect(await host?.stop()).toBe(0);
});

describe('npm run bots', () => {
  it('2 rooms × 2 publishers × 2 viewers for 10 s: every viewer receives every publisher’s audio and video', async () => {
    const { done } = runProcess('npm', [
      'run',
      'bots',
      '--silent',
      '--',
      '--url',
      host!.wsUrl,
      '--rooms',
      '2',
      '--publishers',
      '2',
      '--viewers',
      '2',
      '--seconds',
      '10',
    ]);
    const { code, out } = await done;
    process.stdout.write(out);
    expect(out).toMatch(/^bots: 2 room\(s\) × \(2 publisher\(s\) \+ 2 viewer\(s\)\)/m);
    const line = /^summary (\{.*\})$/m.exec(out);
    expect(line, out).not.toBeNull();
    const s = JSON.parse(line![1]!) as LoadTestSummary;
    expect(s.logins).toEqual({ ok: 8, failed: 0 });
    expect(s.mediaConnected).toEqual({ publishers: 4, viewers: 4 });
    // Rates depend on the machine's load (bench/ measures them); here: media flowed, every pair got both kinds.
    expect(s.packetsSent).toBeGreaterThan(0);
    expect(s.packetsReceivedByViewers).toBeGreaterThan(0);
    expect(s.pairsExpected).toBe(8);
    expect(s.pairsComplete).toBe(8);
    expect(s.allViewersReceivedAll).toBe(true);
    expect(s.errors).toEqual([]);
    expect(code).toBe(0);
  }, 90_000);

  it('refuses bad options with a usage line and exit code 2', async () => {
    const { code, out } = await runProcess('npm', ['run', 'bots', '--silent', '--', '--url', 'http://nope', '--rooms', 'x']).done;
    expect(code).toBe(2);
    expect(out).toContain('usage: npm run bots');
  });
});
