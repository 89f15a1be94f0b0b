/**
 * The configuration schema (protocol.md §1). Every key is optional; the defaults make a working
 * local install with no file at all. Unknown keys are rejected so typos surface at start-up.
 */
import { isIP } from 'node:net';
import { z } from 'zod';

const port = z.number().int().min(0).max(65535);

/** An IP address or a CIDR range (trustProxy, metrics.allowFrom). */
const ipOrCidr = z
  .string()
  .max(64)
  .refine((v) => {
    const [addr, bits, extra] = v.split('/');
    const family = isIP(addr);
    if (!family || extra !== undefined) return false;
    return bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
  }, 'expected an IP address or CIDR range');

const userEntry = z
  .object({
    userName: z.string().min(1).max(64),
    password: z.string().max(128).default(''),
    userId: z.number().int().positive().max(2_147_483_647),
    level: z.number().int().min(0).default(0),
    nickName: z.string().max(64).optional(),
    /** The gateway's string user id (struserid); default: the user name. */
    strUserId: z.string().min(1).max(64).optional(),
  })
  .strict();

const operatorEntry = z
  .object({
    username: z.string().min(1).max(64),
    /** Plain password (hashed with scrypt at start-up, never stored) or a stored scrypt hash. */
    password: z.string().min(1).max(256).optional(),
    passwordHash: z.string().startsWith('scrypt$').optional(),
    /** admin (everything, manages operators), operator (acts on users, rooms, recordings), viewer (reads only). */
    role: z.enum(['admin', 'operator', 'viewer']).optional(),
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
    /** This app's timestamp zone; null = `gateway.timestampZone`. */
    timestampZone: z.enum(['utc', 'local']).nullable().default(null),
    /** Default lifetime of fileinfo_get download URLs when a request names none. */
    downloadUrlSeconds: z
      .number()
      .int()
      .min(1)
      .max(7 * 86_400)
      .default(3600),
    retry: retrySettings.prefault({}),
    /** Sign notifications with MD5 (needs md5Key) or RSA (the server's private key). Default: MD5 when md5Key is set. */
    notifySignType: z.enum(['MD5', 'RSA']).nullable().default(null),
    /** Which webhook notices this app receives (method names); null = all eight. */
    notifyMethods: z.array(z.string().min(1).max(32)).nullable().default(null),
  })
  .strict();

/** The HTTP business gateway (seeds/anychat-business-http-api.txt), app-independent settings. */
const gatewaySettings = z
  .object({
    /** Request bodies larger than this get HTTP 413. */
    maxBodyBytes: z
      .number()
      .int()
      .min(1024)
      .max(16 * 1024 * 1024)
      .default(64 * 1024),
    /** PEM file with the server's RSA private key (notify signatures); relative to dataDir; created when missing. */
    serverKeyFile: z.string().min(1).default('gateway-rsa-private.pem'),
    /** How gateway timestamps (yyyyMMddHHmmss) are read and written: the host's local time zone (the seed's backends send local time) or UTC. An app may override it. */
    timestampZone: z.enum(['utc', 'local']).default('local'),
    /** Accepted for old config files and ignored: queries are never replays, controls are keyed by URL + body (docs/gateway-api.md "Replays"). */
    replayKey: z.enum(['signature', 'request']).optional(),
    /** A control (e.g. a kick) that has not completed after this long answers 100709 (HTTP 408). */
    operationTimeoutMs: z.number().int().min(100).max(600_000).default(10_000),
    /** Most remembered controls inside the timestamp window (idempotent retries); past it new controls are refused with 100706 instead of growing the store. */
    replayCacheMax: z.number().int().min(1000).max(50_000_000).default(2_000_000),
    /** One webhook attempt fails after this long without a response. */
    notifyTimeoutMs: z.number().int().min(100).max(120_000).default(10_000),
    /** Base of download URLs handed out by fileinfo_get / filelist_get (e.g. https://av.example.com); null = the address the host listens on. */
    publicBaseUrl: z.string().url().nullable().default(null),
    /** Delivery-log rows kept for the console. */
    deliveryLogMax: z.number().int().min(100).max(1_000_000).default(5000),
  })
  .strict();

export const configSchema = z
  .object({
    listen: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: port.default(8600),
        /** Serve HTTPS/WSS with this PEM certificate and key (paths relative to the config file); null = plain HTTP. */
        tls: z
          .object({ certFile: z.string().min(1), keyFile: z.string().min(1) })
          .strict()
          .nullable()
          .default(null),
        /** On stop, /readyz answers 503 this long before the listener closes, so a balancer drains the host. */
        drainSeconds: z.number().min(0).max(120).default(0),
      })
      .strict()
      .prefault({}),
    /** Reverse proxies (IPs or CIDR ranges) whose X-Forwarded-For is believed for the client address. */
    trustProxy: z.array(ipOrCidr).default([]),
    /** History (sessions, rooms, calls, room timelines) and quality series kept in the store. */
    history: z
      .object({
        retentionDays: z.number().min(1).max(3650).default(30),
        /** Per-participant quality points (one a second) are kept this long. */
        qualityRetentionHours: z
          .number()
          .min(1)
          .max(24 * 30)
          .default(24),
        /** Record history at all (benches compare with and without). */
        enabled: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    /** Prometheus scrapes of /metrics: addresses (IPs or CIDR ranges) allowed; others get 403. */
    metrics: z
      .object({ allowFrom: z.array(ipOrCidr).default(['127.0.0.0/8', '::1']) })
      .strict()
      .prefault({}),
    /** Alert rules (docs/operations.md). */
    alerts: z
      .object({
        /** A user's packet loss above this fraction (0–1) … */
        lossThreshold: z.number().min(0).max(1).default(0.1),
        /** … for this many seconds raises an alert. */
        lossSeconds: z.number().int().min(1).max(3600).default(30),
        /** Free space on the data dir's disk below this many MiB raises an alert. */
        diskLowMb: z.number().int().min(0).default(1024),
        /** Alerts kept for the bell list. */
        keep: z.number().int().min(10).max(100_000).default(500),
      })
      .strict()
      .prefault({}),
    dataDir: z.string().min(1).default('./data'),
    guestLogin: z.boolean().default(true),
    users: z.array(userEntry).default([]),
    operators: z.array(operatorEntry).default([]),
    /** The web console: extra host names it is reached by (DNS-rebinding allowlist; listening names are always allowed). */
    console: z
      .object({ allowedHosts: z.array(z.string().min(1).max(253)).max(100).default([]) })
      .strict()
      .prefault({}),
    apps: z.array(appEntry).default([]),
    gateway: gatewaySettings.prefault({}),
    media: z
      .object({
        listenIp: z.string().min(1).default('127.0.0.1'),
        announcedIp: z.string().min(1).nullable().default(null),
        rtcMinPort: port.default(40000),
        rtcMaxPort: port.default(40999),
        /** ICE candidates (mediasoup's names): UDP host, passive TCP host on a port of the same range, UDP ranked first */
        enableUdp: z.boolean().default(true),
        enableTcp: z.boolean().default(true),
        preferUdp: z.boolean().default(true),
        numWorkers: z.number().int().min(1).max(64).optional(),
      })
      .strict()
      .refine((m) => m.rtcMinPort <= m.rtcMaxPort, { message: 'rtcMinPort must not exceed rtcMaxPort' })
      .refine((m) => m.enableUdp || m.enableTcp, { message: 'enableUdp and enableTcp cannot both be false (no way to reach the media node)' })
      .prefault({}),
    recording: z
      .object({
        /** ffmpeg for finishing files, snapshots and room recordings; null = the npm package's, then PATH */
        ffmpegPath: z.string().min(1).nullable().default(null),
      })
      .strict()
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
        maxFrameBytes: z
          .number()
          .int()
          .min(4096)
          .max(64 * 1024 * 1024)
          .default(2 * 1024 * 1024),
        /** Largest file a client may send or receive with transFile. */
        maxFileBytes: z
          .number()
          .int()
          .min(1)
          .max(4 * 1024 * 1024 * 1024)
          .default(64 * 1024 * 1024),
        /** Requests per second one connection may make before it gets flood errors. */
        maxRequestsPerSecond: z.number().int().min(1).max(100_000).default(200),
        /** How often each publishing member's network quality is pushed to its room (networkQuality); 0 = never. */
        networkQualitySeconds: z.number().min(0).max(3600).default(5),
        /** Guests (empty password) may start transfers (transBufferEx, files). Off: anonymous users cannot fill memory or disk. */
        guestUploads: z.boolean().default(false),
        /** Bytes of unfinished uploads (all users, memory and disk) the server holds at once; past it new uploads wait (900429). */
        uploadInFlightBytes: z
          .number()
          .int()
          .min(1024 * 1024)
          .default(64 * 1024 * 1024),
        /** Received files (sent to the server) one user may keep; past it 900416. */
        uploadQuotaBytesPerUser: z
          .number()
          .int()
          .min(0)
          .default(256 * 1024 * 1024),
        /** Received files all users together may keep; past it 900416. */
        uploadQuotaBytesTotal: z
          .number()
          .int()
          .min(0)
          .default(4 * 1024 * 1024 * 1024),
        /** Received files are deleted after this long. */
        receivedFileRetentionHours: z
          .number()
          .min(1)
          .max(24 * 3650)
          .default(24 * 7),
        /** Uploads to disk are refused (900507) when they would leave less free space than this. */
        minFreeDiskBytes: z
          .number()
          .int()
          .min(0)
          .default(256 * 1024 * 1024),
      })
      .strict()
      .prefault({}),
    /** The business layer: rooms, public mic seats and the mic queue (docs/business.md). */
    rooms: z
      .object({
        /** Mic seats a new room gets (seed §8.3: "usually 2"). */
        defaultSeatCount: z.number().int().min(0).max(64).default(2),
        /** A user is taken off a mic seat after this long; 0 = no limit (seed §8.4). */
        seatTimeLimitSeconds: z.number().int().min(0).max(86_400).default(0),
        maxQueueLength: z.number().int().min(1).max(10_000).default(200),
        /** Entering an unknown room id or name creates it (AnyChat AutoAddRoom=1); false → 900901 (ROOM_NOT_FOUND). */
        autoCreate: z.boolean().default(true),
        /** Largest room (also the cap for a room's own capacity). */
        maxRoomUsers: z.number().int().min(1).max(100_000).default(1000),
        maxRooms: z.number().int().min(1).max(1_000_000).default(10_000),
        /** A created room nobody has entered (or everyone reserved a place in never arrived) ends after this long. */
        emptyRoomSeconds: z.number().int().min(1).max(86_400).default(300),
        /** Keep text chat of new rooms in the store (seed §2.10); an operator createRoom may override it per room. */
        chatLog: z.boolean().default(false),
        chatLogRetentionDays: z.number().int().min(1).max(3650).default(30),
      })
      .strict()
      .prefault({}),
    log: z
      .object({
        level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
        /** The log file is rotated when it reaches this size … */
        maxSizeMb: z.number().min(1).max(10_000).default(20),
        /** … and this many rotated files are kept. */
        maxFiles: z.number().int().min(1).max(1000).default(10),
      })
      .strict()
      .prefault({}),
    /** Load sample content (demo users, rooms) for a demo install. */
    demo: z.boolean().default(false),
    /**
     * Several hosts as one platform (docs/cluster.md, protocol.md §5): shared durable state in
     * PostgreSQL, live state and cross-node delivery over Redis. Absent: one host on its own SQLite store.
     */
    cluster: z
      .object({
        /** This node's name, unique in the cluster (shown in the console's node column). */
        nodeId: z
          .string()
          .min(1)
          .max(32)
          .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, "_" and "-" only'),
        postgresUrl: z
          .string()
          .min(1)
          .regex(/^postgres(ql)?:\/\//, 'expected postgres://…'),
        redisUrl: z
          .string()
          .min(1)
          .regex(/^rediss?:\/\//, 'expected redis://…'),
      })
      .strict()
      .optional(),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type AppConfig = Config['apps'][number];
