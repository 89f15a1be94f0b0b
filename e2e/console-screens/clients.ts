/**
 * Real signaling clients (shared/client's AnyChatClient over `ws`) for console journeys that need
 * users doing things the demo page has no control for (mic queue, calls).
 */
import WebSocket from 'ws';
import { AnyChatClient, type SocketLike } from '../../shared/client';

export async function signedInClient(baseUrl: string, userName: string, password: string): Promise<AnyChatClient> {
  const url = `${baseUrl.replace(/^http/, 'ws').replace(/\/$/, '')}/ws`;
  const client = await AnyChatClient.connect(url, (u) => new WebSocket(u) as unknown as SocketLike);
  await client.login(userName, password);
  return client;
}
