/** Tests: an operator signed in to a running host (cluster node or demo host), calling console handlers over `/console/ws`. */

/** An operator's console socket on a host (sign-in, then `/console/ws`): `call(name, args)`. */
export async function consoleOf(
  url: string,
  operator: { username: string; password: string },
): Promise<{ call<T>(name: string, args?: Record<string, unknown>): Promise<T>; close(): void }> {
  const { default: WebSocket } = await import('ws');
  const res = await fetch(`${url}/console/api/signin`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(operator) });
  if (res.status !== 200) throw new Error(`console sign-in failed: ${res.status}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/console/ws`, { headers: { cookie } });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let id = 0;
  return {
    call: <T>(name: string, args: Record<string, unknown> = {}) =>
      new Promise<T>((resolve, reject) => {
        const my = ++id;
        const onMessage = (d: Buffer) => {
          const m = JSON.parse(String(d)) as { id?: number; ok: boolean; value?: T; error?: { message: string } };
          if (m.id !== my) return;
          ws.off('message', onMessage);
          if (m.ok) resolve(m.value as T);
          else reject(new Error(m.error?.message));
        };
        ws.on('message', onMessage);
        ws.send(JSON.stringify({ id: my, call: name, args }));
      }),
    close: () => ws.close(),
  };
}
