/**
 * One client socket: parses frames, rate-limits, validates, runs requests one at a time (so a
 * client's requests keep their order), answers every bad input with a coded error, and tells the
 * SDK when the socket goes away.
 */
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import { CodedError, Codes, SignalingCodes, isCodedError } from '../../shared/codes';
import type { ClientLink, ClientSide, ClientState } from '../sdk';
import { RateLimiter } from './RateLimiter';
import { isBuiltInMethodName } from '../../shared/protocol/methods';
import { describeIssues } from '../../shared/validation';
import { clientMethods, type MethodContext } from './clientMethods';
import type { MediaRequests } from './media/MediaRequests';

const MAX_PENDING = 256;

export class ClientConnection implements ClientLink {
  lastSeen = Date.now();
  readonly state: ClientState;
  private readonly context: MethodContext;
  private readonly limiter: RateLimiter;
  private chain: Promise<void> = Promise.resolve();
  private pending = 0;
  private gone = false;

  /** What the client connected with (User-Agent label), for session history. */
  userAgent = '';

  constructor(
    private readonly ws: WebSocket,
    readonly ip: string,
    private readonly client: ClientSide,
    private readonly media: MediaRequests | null,
    maxRequestsPerSecond: number,
    private readonly logger: Logger,
    private readonly onGone: (c: ClientConnection) => void,
  ) {
    this.limiter = new RateLimiter(maxRequestsPerSecond);
    this.state = client.newState(this);
    this.context = { st: this.state, client, media };
    ws.on('message', (raw, isBinary) => this.onFrame(raw as Buffer, isBinary));
    ws.on('pong', () => (this.lastSeen = Date.now()));
    ws.on('ping', () => (this.lastSeen = Date.now()));
    ws.on('close', (code) => this.finish(code === 1000 || code === 1001 ? Codes.LOGOUT_NORMAL : Codes.LOGOUT_NETWORK_ERROR));
    ws.on('error', (err) => this.logger.debug({ err }, 'client socket error'));
  }

  get open(): boolean {
    return !this.gone && this.ws.readyState === this.ws.OPEN;
  }

  get userId(): number | null {
    return this.state.session?.userId ?? null;
  }

  push(notification: string, data: unknown): void {
    if (this.open) this.ws.send(JSON.stringify({ notification, data }));
  }

  sendFrame(frame: string): void {
    if (this.open) this.ws.send(frame);
  }

  bufferedBytes(): number {
    return this.ws.bufferedAmount;
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState === this.ws.CLOSED) return;
    this.ws.close(code, reason);
    setTimeout(() => this.ws.terminate(), 1000).unref();
  }

  ping(): void {
    if (this.open) this.ws.ping();
  }

  /** Silent too long: log out with 100 and drop the socket. */
  timedOut(): void {
    this.logger.info({ userId: this.userId, ip: this.ip }, 'client silent, logging out (100)');
    void this.finish(Codes.LOGOUT_NETWORK_TIMEOUT).then(() => this.ws.terminate());
  }

  private async finish(reason: number): Promise<void> {
    if (this.gone) return;
    this.gone = true;
    this.onGone(this);
    try {
      await this.client.disconnected(this.state, reason);
    } catch (err) {
      this.logger.error({ err }, 'disconnect handling failed');
    }
  }

  private onFrame(raw: Buffer, isBinary: boolean): void {
    this.lastSeen = Date.now();
    if (isBinary) return this.pushError(SignalingCodes.MALFORMED_FRAME, 'binary frames are not accepted; send JSON text');
    let msg: unknown;
    try {
      msg = JSON.parse(raw.toString('utf8'));
    } catch {
      return this.pushError(SignalingCodes.MALFORMED_FRAME, 'frame is not valid JSON');
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return this.pushError(SignalingCodes.MALFORMED_FRAME, 'frame must be a JSON object');
    const { id, method, data } = msg as { id?: unknown; method?: unknown; data?: unknown };
    const reqId = typeof id === 'number' && Number.isSafeInteger(id) ? id : null;
    if (typeof method !== 'string' || method.length === 0 || method.length > 64) {
      return this.reply(reqId, null, new CodedError(SignalingCodes.MALFORMED_FRAME, 'method must be a non-empty string'));
    }
    if (reqId === null) return this.pushError(SignalingCodes.MALFORMED_FRAME, `request "${method}" needs a numeric id`);
    if (!this.limiter.take() || this.pending >= MAX_PENDING) {
      this.logger.warn({ userId: this.userId, ip: this.ip, method }, 'client flooding');
      return this.reply(reqId, null, new CodedError(Codes.TOO_MANY_REQUESTS, 'too many requests; slow down'));
    }
    this.pending++;
    this.chain = this.chain.then(async () => {
      try {
        const result = await this.dispatch(method, data === undefined ? {} : data);
        this.reply(reqId, result ?? {}, null);
      } catch (err) {
        this.reply(reqId, null, err);
      } finally {
        this.pending--;
      }
    });
  }

  private async dispatch(method: string, data: unknown): Promise<unknown> {
    if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new CodedError(Codes.BAD_REQUEST, 'data must be an object');
    if (isBuiltInMethodName(method)) {
      const row = clientMethods[method];
      const parsed = row.schema.safeParse(data);
      if (!parsed.success) throw new CodedError(Codes.BAD_REQUEST, `invalid ${method} data: ${describeIssues(parsed.error.issues)}`);
      return row.handler(this.context, parsed.data);
    }
    if (this.client.hasRegistered(method)) return this.client.invokeRegistered(this.state, method, data as Record<string, unknown>);
    throw new CodedError(SignalingCodes.UNKNOWN_METHOD, `unknown method "${method}"`);
  }

  private reply(id: number | null, data: unknown, err: unknown): void {
    if (err !== null) {
      const coded = isCodedError(err) ? err : null;
      if (!coded) this.logger.error({ err }, 'request failed unexpectedly');
      else this.logger.debug({ code: coded.code, msg: coded.message, userId: this.userId }, 'request refused');
      const error = { code: coded?.code ?? Codes.INTERNAL, message: coded?.message ?? 'internal error' };
      if (!this.open) return;
      if (id === null) this.push('error', error);
      else this.ws.send(JSON.stringify({ id, ok: false, error }));
      return;
    }
    if (this.open) this.ws.send(JSON.stringify({ id, ok: true, data }));
  }

  private pushError(code: number, message: string): void {
    this.logger.debug({ code, message, ip: this.ip }, 'bad frame');
    this.push('error', { code, message });
  }
}
