/** A client process for the soak bench's frozen-client scenario: logs in and idles until SIGSTOPped. */
import WebSocket from 'ws';
import { AnyChatClient, type SocketLike } from '../../shared/client';

const c = await AnyChatClient.connect(process.argv[2]!, (u) => new WebSocket(u) as unknown as SocketLike);
await c.login(process.argv[3]!, process.argv[4]!);
process.stdout.write('ready\n');
setInterval(() => undefined, 1000);
