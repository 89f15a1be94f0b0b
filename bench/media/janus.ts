/**
 * Janus 1.1.x for the media bench: writes its own config dir (VideoRoom plugin and HTTP transport
 * only, HTTP on loopback, ICE on the host's own address, no STUN/TURN, no 1:1 NAT, a private RTP port range), starts `janus` on a free
 * port, and speaks its HTTP API (session → handle → plugin messages, events by long poll).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';

export const JANUS_BIN = process.env.JANUS_BIN ?? '/usr/bin/janus';
const LIB = '/usr/lib/x86_64-linux-gnu/janus';

/**
 * Why Janus cannot run, or null. Where it is missing and the bench runs as root on Debian, the bench
 * installs Debian's `janus` itself (the peer is part of the measurement, not a test dependency).
 */
export function janusMissing(): string | null {
  if (!existsSync(JANUS_BIN) && JANUS_BIN === '/usr/bin/janus' && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    console.log('janus is not installed: apt-get install -y janus …');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'janus'], { stdio: 'inherit', env, timeout: 300_000 });
  }
  if (!existsSync(JANUS_BIN)) return `${JANUS_BIN} not found (apt-get install janus)`;
  if (!existsSync(`${LIB}/plugins/libjanus_videoroom.so`)) return `${LIB}/plugins/libjanus_videoroom.so not found`;
  if (!existsSync(`${LIB}/transports/libjanus_http.so`)) return `${LIB}/transports/libjanus_http.so not found`;
  return null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * The address Janus gathers on. Janus skips loopback interfaces when it gathers (IFF_LOOPBACK), so it
 * uses the host's own first IPv4 address; packets to a local address never leave the machine.
 */
export function janusIp(): string {
  for (const [name, addrs] of Object.entries(networkInterfaces())) {
    const a = addrs?.find((x) => x.family === 'IPv4' && !x.internal);
    if (a && name !== 'lo') return a.address;
  }
  throw new Error('no non-loopback IPv4 address for Janus to gather on');
}

function writeConfig(dir: string, httpPort: number, rtpPorts: [number, number], ip: string): void {
  for (const d of ['plugins', 'transports', 'events', 'loggers']) mkdirSync(path.join(dir, d));
  // only the two modules the bench needs: the folders hold nothing else
  symlinkSync(`${LIB}/plugins/libjanus_videoroom.so`, path.join(dir, 'plugins/libjanus_videoroom.so'));
  symlinkSync(`${LIB}/transports/libjanus_http.so`, path.join(dir, 'transports/libjanus_http.so'));
  writeFileSync(
    path.join(dir, 'janus.jcfg'),
    `general: {
  configs_folder = "${dir}"
  plugins_folder = "${dir}/plugins"
  transports_folder = "${dir}/transports"
  events_folder = "${dir}/events"
  loggers_folder = "${dir}/loggers"
  debug_level = 2
  session_timeout = 0
}
media: {
  rtp_port_range = "${rtpPorts[0]}-${rtpPorts[1]}"
}
nat: {
  ice_enforce_list = "${ip}"
  ignore_mdns = true
}
plugins: {
}
transports: {
}
events: {
  broadcast = false
}
`,
  );
  writeFileSync(path.join(dir, 'janus.plugin.videoroom.jcfg'), 'general: {\n}\n');
  writeFileSync(
    path.join(dir, 'janus.transport.http.jcfg'),
    `general: {
  json = "plain"
  base_path = "/janus"
  http = true
  port = ${httpPort}
  ip = "127.0.0.1"
  https = false
}
admin: {
  admin_http = false
}
`,
  );
}

export interface Jsep {
  type: 'offer' | 'answer';
  sdp: string;
  trickle?: boolean;
}

interface JanusReply {
  janus: string;
  transaction?: string;
  sender?: number;
  data?: { id: number };
  error?: { code: number; reason: string };
  plugindata?: { plugin: string; data: Record<string, unknown> };
  jsep?: Jsep;
}

export class JanusServer {
  private constructor(
    private readonly proc: ChildProcess,
    private readonly dir: string,
    readonly url: string,
    private readonly log: string[],
  ) {}

  get pid(): number {
    return this.proc.pid!;
  }

  static async start(rtpPorts: [number, number]): Promise<JanusServer> {
    const dir = mkdtempSync(path.join(tmpdir(), 'janus-bench-'));
    const port = await freePort();
    writeConfig(dir, port, rtpPorts, janusIp());
    const proc = spawn(JANUS_BIN, ['-F', dir, '-C', path.join(dir, 'janus.jcfg'), '-o'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const log: string[] = [];
    const keep = (b: Buffer) => {
      log.push(b.toString());
      if (log.length > 200) log.shift();
    };
    proc.stdout!.on('data', keep);
    proc.stderr!.on('data', keep);
    const server = new JanusServer(proc, dir, `http://127.0.0.1:${port}/janus`, log);
    const end = Date.now() + 15_000;
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`janus exited with ${proc.exitCode}:\n${log.join('')}`);
      const ok = await fetch(`${server.url}/info`)
        .then((r) => r.ok)
        .catch(() => false);
      if (ok) return server;
      if (Date.now() > end) {
        await server.stop();
        throw new Error(`janus did not answer on ${server.url} within 15 s:\n${log.join('')}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode === null) {
      const exited = new Promise((r) => this.proc.once('exit', r));
      this.proc.kill('SIGTERM');
      const timer = setTimeout(() => this.proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** One Janus session over HTTP with one long-poll loop; async plugin events are matched by transaction. */
export class JanusSession {
  private nextTx = 0;
  private readonly waiting = new Map<string, (r: JanusReply) => void>();
  private polling = true;
  private readonly pollAbort = new AbortController();
  private readonly pollDone: Promise<void>;

  private constructor(
    private readonly url: string,
    readonly id: number,
  ) {
    this.pollDone = this.poll();
  }

  static async create(url: string): Promise<JanusSession> {
    const r = await post(url, { janus: 'create', transaction: 'create' });
    return new JanusSession(url, r.data!.id);
  }

  private async poll(): Promise<void> {
    while (this.polling) {
      try {
        const res = await fetch(`${this.url}/${this.id}?maxev=50`, { signal: this.pollAbort.signal });
        const body = (await res.json()) as JanusReply | JanusReply[];
        for (const ev of Array.isArray(body) ? body : [body]) {
          const done = ev.transaction ? this.waiting.get(ev.transaction) : undefined;
          if (done && ev.janus === 'event') {
            this.waiting.delete(ev.transaction!);
            done(ev);
          }
        }
      } catch {
        if (this.polling) await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  async attach(): Promise<JanusHandle> {
    const r = await post(`${this.url}/${this.id}`, { janus: 'attach', plugin: 'janus.plugin.videoroom', transaction: this.tx() });
    return new JanusHandle(this, r.data!.id);
  }

  /** A plugin message; resolves with its synchronous answer or, after an ack, with its event. */
  async message(handleId: number, body: Record<string, unknown>, jsep?: Jsep): Promise<JanusReply> {
    const transaction = this.tx();
    const event = new Promise<JanusReply>((resolve, reject) => {
      this.waiting.set(transaction, resolve);
      setTimeout(() => {
        if (this.waiting.delete(transaction)) reject(new Error(`janus: no event for ${JSON.stringify(body)} within 20 s`));
      }, 20_000).unref();
    });
    const r = await post(`${this.url}/${this.id}/${handleId}`, { janus: 'message', transaction, body, ...(jsep ? { jsep } : {}) });
    if (r.janus === 'ack') return checkPlugin(await event);
    this.waiting.delete(transaction);
    return checkPlugin(r);
  }

  async destroy(): Promise<void> {
    this.polling = false;
    await post(`${this.url}/${this.id}`, { janus: 'destroy', transaction: this.tx() }).catch(() => {});
    this.pollAbort.abort(); // a long poll would otherwise hang on for up to 30 s
    await this.pollDone;
  }

  private tx(): string {
    return `t${++this.nextTx}`;
  }
}

export class JanusHandle {
  constructor(
    readonly session: JanusSession,
    readonly id: number,
  ) {}
  message(body: Record<string, unknown>, jsep?: Jsep): Promise<JanusReply> {
    return this.session.message(this.id, body, jsep);
  }
}

async function post(url: string, body: unknown): Promise<JanusReply> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const r = (await res.json()) as JanusReply;
  if (r.janus === 'error') throw new Error(`janus: ${r.error?.code} ${r.error?.reason}`);
  return r;
}

function checkPlugin(r: JanusReply): JanusReply {
  const data = r.plugindata?.data;
  if (data && typeof data.error === 'string') throw new Error(`janus videoroom: ${String(data.error_code)} ${data.error}`);
  return r;
}
