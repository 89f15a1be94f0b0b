/** Cluster scenarios' clients: a user logged in through a node (kept in `clients` to close at the end), and waiting for a condition. */
import WebSocket from 'ws';
import { AnyChatClient, type SocketLike } from '../../../shared/client';
import type { ClusterHost } from './clusterHosts';

export async function loginThrough(host: ClusterHost, name: string, clients: AnyChatClient[]): Promise<AnyChatClient> {
  const c = await AnyChatClient.connect(host.wsUrl, (u) => new WebSocket(u) as unknown as SocketLike);
  clients.push(c);
  await c.login(name, 'pw');
  return c;
}

/** Polls `cond` every 100 ms; throws `not in time: <what>` after `ms`. */
export async function until(cond: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`not in time: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
