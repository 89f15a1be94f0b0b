/**
 * One client socket: parses frames, rate-limits, validates, runs requests one at a time (so a
 * client's requests keep their order), answers every bad input with a coded error, and tells the
 * SDK when the socket goes away.
 */
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import { CodedError, Codes, SignalingCodes, isCodedError } from '../../shared/codes';
import type { ClientLink, ClientSide, ClientState } from '../sdk';
import type { WarnThrottle } from '../http/warnThrottle';
import { RateLimiter } from './RateLimiter';
import { isBuiltInMethodName } from '../../shared/protocol/methods';
import { describeIssues } from '../../shared/validation';
import { clientMethods, type MethodContext } from './clientMethods';
import type { MediaRequests } from './media/MediaRequests';

const MAX_PENDING = 256;
/** Close code for a socket closed for abuse (RFC 6455 "policy violation"). */
export const CLOSE_ABUSIVE = 1008;
/** Malformed frames a client may send per second (burst 20) before the socket is closed. */
const BAD_FRAMES_PER_SECOND = 5;
const BAD_FRAMES_BURST = 20;

export class ClientConnection implements ClientLink {
  lastSeen = Date.now();
  readonly state: ClientState;
  private readonly context: MethodContext;
  private readonly limiter: RateLimiter;
  /** Refused frames (over budget) a client may send before it counts as abusive. */
  private readonly overBudget: RateLimiter;
  private readonly badFrames = new RateLimiter(BAD_FRAMES_PER_SECOND, BAD_FRAMES_BURST);
  private abusive = false;
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
    private readonly warnings?: WarnThrottle,
  ) {
    this.limiter = new RateLimiter(maxRequestsPerSecond);
    // Refusals tolerated before closing: five seconds' budget in a burst, refilling at the budget's rate.
    this.overBudget = new RateLimiter(maxRequestsPerSecond, maxRequestsPerSecond * 5);
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
    if (this.abusive) return;
    this.lastSeen = Date.now();
    // Every frame, well-formed or not, spends the client's budget: garbage must not be free.
    if (!this.limiter.take()) return this.overLimit(raw, isBinary);
    if (isBinary) return this.badFrame('binary frames are not accepted; send JSON text');
    let msg: unknown;
    try {
      msg = JSON.parse(raw.toString('utf8'));
    } catch {
      return this.badFrame('frame is not valid JSON');
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return this.badFrame('frame must be a JSON object');
    const { id, method, data } = msg as { id?: unknown; method?: unknown; data?: unknown };
    const reqId = typeof id === 'number' && Number.isSafeInteger(id) ? id : null;
    if (typeof method !== 'string' || method.length === 0 || method.length > 64) {
      if (!this.badFrames.take()) return this.closeAbusive('malformed frames');
      return this.reply(reqId, null, new CodedError(SignalingCodes.MALFORMED_FRAME, 'method must be a non-empty string'));
    }
    if (reqId === null) return this.badFrame(`request "${method}" needs a numeric id`);
    if (this.pending >= MAX_PENDING) {
      this.warnings?.warn(this.ip, 'too many pending requests', { userId: this.userId, method }, 'client flooding');
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
      // A full disk is not a bug: the client gets a clear code and the request is simply refused.
      if (!isCodedError(err) && isDiskFull(err)) err = new CodedError(SignalingCodes.STORAGE_FULL, "the server's disk is full; try again later");
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

  /**
   * Over the request budget: refused with 900429 (as the request's answer when the frame is a
   * request, so the client's call settles); a client that keeps going well past its budget is
   * closed as abusive.
   */
  private overLimit(raw: Buffer, isBinary: boolean): void {
    if (!this.overBudget.take()) return this.closeAbusive('flooding');
    this.warnings?.warn(this.ip, 'flooding', { userId: this.userId }, 'client over its request budget');
    const err = new CodedError(Codes.TOO_MANY_REQUESTS, 'too many requests; slow down');
    // Only a short frame is looked at for its id; anything else is answered without parsing.
    const m = !isBinary && raw.length <= 4096 ? /"id"\s*:\s*(\d{1,15})\s*[,}]/.exec(raw.toString('utf8')) : null;
    this.reply(m ? Number(m[1]) : null, null, err);
  }

  private badFrame(message: string): void {
    if (!this.badFrames.take()) return this.closeAbusive('malformed frames');
    this.pushError(SignalingCodes.MALFORMED_FRAME, message);
  }

  /** Closes an abusive socket (1008); the session ends as on any abrupt close. */
  private closeAbusive(reason: string): void {
    if (this.abusive) return;
    this.abusive = true;
    this.logger.warn({ userId: this.userId, ip: this.ip, reason }, 'abusive client: socket closed');
    this.close(CLOSE_ABUSIVE, `abusive client: ${reason}`);
  }

  private pushError(code: number, message: string): void {
    this.logger.debug({ code, message, ip: this.ip }, 'bad frame');
    this.push('error', { code, message });
  }
}

/** SQLite's SQLITE_FULL or a file system's ENOSPC. */
export function isDiskFull(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = String((err as { code?: unknown; errcode?: unknown }).code ?? '');
  return code === 'ENOSPC' || (err as { errcode?: number }).errcode === 13 || /SQLITE_FULL|database or disk is full/i.test(err.message);
}
