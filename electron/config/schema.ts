/**
 * The configuration schema (protocol.md §1). Every key is optional; the defaults make a working
 * local install with no file at all. Unknown keys are rejected so typos surface at start-up.
 */
import { z } from 'zod';

const port = z.number().int().min(0).max(65535);

const userEntry = z
  .object({
    userName: z.string().min(1).max(64),
    password: z.string().max(128).default(''),
    userId: z.number().int().positive().max(2_147_483_647),
    level: z.number().int().min(0).default(0),
    nickName: z.string().max(64).optional(),
  })
  .strict();

const operatorEntry = z
  .object({
    username: z.string().min(1).max(64),
    /** Plain password (hashed with scrypt at start-up, never stored) or a stored scrypt hash. */
    password: z.string().min(1).max(256).optional(),
    passwordHash: z.string().startsWith('scrypt$').optional(),
  })
  .strict()
  .refine((o) => o.password !== undefined || o.passwordHash !== undefined, {
    message: 'needs "password" or "passwordHash"',
  });

const retrySettings = z
  .object({
    initialDelayMs: z.number().int().min(10).default(2000),
    maxDelayMs: z.number().int().min(10).default(600_000),
    maxAttempts: z.number().int().min(1).max(1000).default(12),
  })
  .strict();

const appEntry = z
  .object({
    appId: z.string().min(1).max(128),
    md5Key: z.string().min(1).max(256).nullable().default(null),
    rsaPublicKeyPem: z.string().nullable().default(null),
    callbackUrl: z.string().url().nullable().default(null),
    timestampWindowSeconds: z.number().int().min(1).max(86_400).default(300),
    /** Default lifetime of fileinfo_get download URLs when a request names none. */
    downloadUrlSeconds: z.number().int().min(1).max(7 * 86_400).default(3600),
    retry: retrySettings.prefault({}),
  })
  .strict();

export const configSchema = z
  .object({
    listen: z
      .object({ host: z.string().min(1).default('127.0.0.1'), port: port.default(8600) })
      .strict()
      .prefault({}),
    dataDir: z.string().min(1).default('./data'),
    guestLogin: z.boolean().default(true),
    users: z.array(userEntry).default([]),
    operators: z.array(operatorEntry).default([]),
    apps: z.array(appEntry).default([]),
    media: z
      .object({
        listenIp: z.string().min(1).default('127.0.0.1'),
        announcedIp: z.string().min(1).nullable().default(null),
        rtcMinPort: port.default(40000),
        rtcMaxPort: port.default(40999),
        numWorkers: z.number().int().min(1).max(64).optional(),
      })
      .strict()
      .refine((m) => m.rtcMinPort <= m.rtcMaxPort, { message: 'rtcMinPort must not exceed rtcMaxPort' })
      .prefault({}),
    operatorSignIn: z
      .object({
        maxFailures: z.number().int().min(1).default(5),
        windowSeconds: z.number().int().min(1).default(60),
        lockSeconds: z.number().int().min(1).default(60),
        sessionHours: z.number().min(0.01).default(12),
      })
      .strict()
      .prefault({}),
    /** Client signaling (protocol.md §2) and the SDK's session rules. */
    signaling: z
      .object({
        /** What a second login of the same user does: kick the old session (211) or refuse the new one. */
        duplicateLogin: z.enum(['kickOld', 'refuseNew']).default('kickOld'),
        pingIntervalSeconds: z.number().min(1).max(60).default(10),
        /** A client silent this long is logged out with reason 100. */
        silentTimeoutSeconds: z.number().min(2).max(300).default(30),
        /** Consecutive wrong passwords that lock an account (login error 202). */
        loginFailuresBeforeLock: z.number().int().min(1).max(100).default(5),
        accountLockSeconds: z.number().int().min(1).default(900),
        /** Business hooks (verifyUser, prepareEnterRoom, …) fail closed after this long. */
        hookTimeoutMs: z.number().int().min(10).max(60_000).default(5000),
        /** An unanswered video call request ends after this long. */
        callTimeoutSeconds: z.number().int().min(1).max(600).default(30),
        /** Frames larger than this close the socket (hard cap). */
        maxFrameBytes: z.number().int().min(4096).max(64 * 1024 * 1024).default(2 * 1024 * 1024),
        /** Largest file a client may send or receive with transFile. */
        maxFileBytes: z.number().int().min(1).max(4 * 1024 * 1024 * 1024).default(64 * 1024 * 1024),
        /** Requests per second one connection may make before it gets flood errors. */
        maxRequestsPerSecond: z.number().int().min(1).max(100_000).default(200),
      })
      .strict()
      .prefault({}),
    log: z
      .object({ level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info') })
      .strict()
      .prefault({}),
    /** Load sample content (demo users, rooms) for a demo install. */
    demo: z.boolean().default(false),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type AppConfig = Config['apps'][number];
export type OperatorConfig = Config['operators'][number];
