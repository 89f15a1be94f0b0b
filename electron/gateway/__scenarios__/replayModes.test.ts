/** The replay guard's two modes over real HTTP. */
import { afterEach, expect, it } from 'vitest';
import { formatTimestamp } from '../timestamp';
import { call, startGateway, type Harness } from '../testHarness';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

it('"signature" (default): the same method+app+timestamp+signature is refused whatever the body', async () => {
  h = await startGateway();
  const ts = formatTimestamp(Date.now());
  expect((await call(h.url, 'online_useridlist_get', { userflags: 0 }, { timestamp: ts })).json.return_code).toBe('SUCCESS');
  expect((await call(h.url, 'online_useridlist_get', { userflags: 2 }, { timestamp: ts })).json).toMatchObject({ errorcode: 100705 });
});

it('"request": only an identical request (same body too) is refused', async () => {
  h = await startGateway({ gateway: { replayKey: 'request' } });
  const ts = formatTimestamp(Date.now());
  expect((await call(h.url, 'online_useridlist_get', { userflags: 0 }, { timestamp: ts })).json.return_code).toBe('SUCCESS');
  expect((await call(h.url, 'online_useridlist_get', { userflags: 2 }, { timestamp: ts })).json.return_code).toBe('SUCCESS');
  expect((await call(h.url, 'online_useridlist_get', { userflags: 0 }, { timestamp: ts })).json).toMatchObject({ errorcode: 100705 });
});
