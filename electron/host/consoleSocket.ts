/**
 * The console IPC contract over a WebSocket (`/console/ws`) for the web host. The upgrade needs
 * an allowed Host, this host's exact origin (hostAllowlist.ts) and a valid operator session cookie; after that the socket speaks
 * `{id, call, args}` → `{id, ok, value | error}` and receives `{event, payload}` pushes.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { Codes } from '../../shared/codes';
import { eventNames, isCallName } from '../../shared/ipc/contract';
import type { OperatorAuth } from '../auth/OperatorAuth';
import { parseCookies } from '../http/httpUtil';
import type { ConsoleService } from '../ipc/ConsoleService';
import type { HostAllowlist } from './hostAllowlist';
import { SESSION_COOKIE } from './signInRoutes';

const MAX_CONSOLE_FRAME = 256 * 1024;

export class ConsoleSocket {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CONSOLE_FRAME });

  constructor(
    private readonly service: ConsoleService,
    private readonly auth: OperatorAuth,
    private readonly logger: Logger,
    private readonly hosts: HostAllowlist,
  ) {}

  handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (!this.hosts.allows(req)) {
      this.logger.warn({ host: req.headers.host, origin: req.headers.origin }, 'console socket refused: host or origin not allowed');
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    const token = parseCookies(req.headers.cookie)[SESSION_COOKIE];
    this.auth.sessionFor(token).then(
      (session) => {
        if (!session) {
          socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
          return;
        }
        this.wss.handleUpgrade(req, socket, head, (ws) => this.serve(ws, session.username, token!));
      },
      (err: unknown) => {
        this.logger.error({ err }, 'console socket refused: the session could not be read');
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
      },
    );
  };

  private serve(ws: WebSocket, operator: string, token: string): void {
    const send = (msg: unknown) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
    };
    const unsubs = eventNames.map((event) => this.service.events.on(event, (payload) => send({ event, payload })));
    ws.on('message', async (data, isBinary) => {
      // A signed-out, expired or disabled session ends the socket at its next call; the role is
      // read per call so a changed role applies at once.
      const live = await this.auth.sessionFor(token).catch(() => null);
      if (!live) {
        ws.close(4401, 'session ended');
        return;
      }
      let msg: { id?: unknown; call?: unknown; args?: unknown };
      try {
        if (isBinary) throw new Error('binary');
        msg = JSON.parse(data.toString());
        if (typeof msg !== 'object' || msg === null) throw new Error('not an object');
      } catch {
        send({ id: null, ok: false, error: { code: Codes.BAD_REQUEST, message: 'malformed frame: expected a JSON object' } });
        return;
      }
      const id = typeof msg.id === 'number' || typeof msg.id === 'string' ? msg.id : null;
      if (!isCallName(msg.call)) {
        send({ id, ok: false, error: { code: Codes.NOT_FOUND, message: `unknown call ${String(msg.call)}` } });
        return;
      }
      const result = await this.service.call(msg.call, msg.args, { operator, shell: 'web', role: live.role });
      send({ id, ...result });
    });
    ws.on('close', () => unsubs.forEach((u) => u()));
    ws.on('error', (err) => this.logger.debug({ err: err.message }, 'console socket error'));
  }

  close(): void {
    for (const client of this.wss.clients) client.close(1001, 'server stopping');
    this.wss.close();
  }
}
