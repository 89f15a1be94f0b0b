/**
 * Operator sign-in for the web console: `POST /console/api/signin`, `POST /console/api/signout`,
 * `GET /console/api/session`, `GET /console/api/first-run`. The session cookie is HttpOnly and
 * SameSite=Strict (and Secure over TLS); failed attempts are throttled per account and per client
 * address (429 with Retry-After); every route checks Host and Origin (hostAllowlist.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { z } from 'zod';
import { Codes, isCodedError } from '../../shared/codes';
import type { OperatorAuth } from '../auth/OperatorAuth';
import type { HttpServer } from '../http/HttpServer';
import { clientInfo } from '../http/proxyTrust';
import type { HostAllowlist } from './hostAllowlist';
import { BodyTooLargeError, clientAddress, parseCookies, readJsonObject, sendJson } from '../http/httpUtil';

export const SESSION_COOKIE = 'anychat_session';

/** `Secure` when the browser reached us over TLS (directly or through a trusted proxy). */
const secureAttr = (req: IncomingMessage) => (clientInfo(req).secure ? '; Secure' : '');

const signInBody = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) });

export function mountSignInRoutes(http: HttpServer, auth: OperatorAuth, logger: Logger, hosts: HostAllowlist): void {
  // Every sign-in route first checks Host and Origin (DNS rebinding, hostAllowlist.ts).
  const route = (method: 'GET' | 'POST', path: string, handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>) =>
    http.route(method, path, (req, res) => {
      if (!hosts.allows(req)) {
        logger.warn({ host: req.headers.host, origin: req.headers.origin }, 'sign-in route refused: host or origin not allowed');
        sendJson(res, 403, { ok: false, error: { code: Codes.FORBIDDEN, message: 'this host name or origin is not allowed' } });
        return;
      }
      return handler(req, res);
    });
  route('POST', '/console/api/signin', async (req, res) => {
    // JSON only: a cross-site form cannot send it without a CORS preflight.
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
      sendJson(res, 415, { ok: false, error: { code: Codes.BAD_REQUEST, message: 'expected application/json' } });
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = await readJsonObject(req, 4096);
    } catch (err) {
      const status = err instanceof BodyTooLargeError ? 413 : 400;
      sendJson(res, status, { ok: false, error: { code: Codes.BAD_REQUEST, message: (err as Error).message } });
      return;
    }
    const parsed = signInBody.safeParse(body);
    if (!parsed.success) {
      sendJson(res, 400, { ok: false, error: { code: Codes.BAD_REQUEST, message: 'username and password are required' } });
      return;
    }
    try {
      const { token, session } = await auth.signIn(parsed.data.username, parsed.data.password, clientAddress(req));
      const maxAge = Math.floor((session.expiresAt - Date.now()) / 1000);
      sendJson(
        res,
        200,
        { ok: true, value: { username: session.username, role: session.role } },
        {
          'Set-Cookie': `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAge}${secureAttr(req)}`,
        },
      );
    } catch (err) {
      if (isCodedError(err) && err.code === Codes.TOO_MANY_REQUESTS) {
        const retry = String(err.details?.retryAfterSeconds ?? 60);
        sendJson(res, 429, { ok: false, error: { code: err.code, message: err.message } }, { 'Retry-After': retry });
      } else if (isCodedError(err)) {
        sendJson(res, 401, { ok: false, error: { code: err.code, message: err.message } });
      } else {
        logger.error({ err }, 'sign-in failed');
        sendJson(res, 500, { ok: false, error: { code: Codes.INTERNAL, message: 'internal error' } });
      }
    }
  });

  route('POST', '/console/api/signout', async (req, res) => {
    await auth.signOut(parseCookies(req.headers.cookie)[SESSION_COOKIE]);
    sendJson(res, 200, { ok: true, value: {} }, { 'Set-Cookie': `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0${secureAttr(req)}` });
  });

  // Shown on the sign-in page until the auto-created admin's random password is changed.
  route('GET', '/console/api/first-run', async (_req, res) => {
    sendJson(res, 200, { ok: true, value: { initialPasswordFile: await auth.initialPasswordHint() } });
  });

  route('GET', '/console/api/session', async (req, res) => {
    const session = await auth.sessionFor(parseCookies(req.headers.cookie)[SESSION_COOKIE]);
    if (!session) sendJson(res, 401, { ok: false, error: { code: Codes.UNAUTHORIZED, message: 'not signed in' } });
    else sendJson(res, 200, { ok: true, value: { username: session.username, role: session.role } });
  });
}
