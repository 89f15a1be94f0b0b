/**
 * `/metrics` in the Prometheus text format, with prom-client. A registry per core (tests run
 * several cores in one process). Gauges read the components at scrape time; counters that live
 * elsewhere (forwarded packets, webhook attempts) are exposed from their running totals.
 */
import client from 'prom-client';

export interface MetricsSources {
  rooms(): number;
  users(): number;
  producers(): number;
  consumers(): number;
  signalingConnections(): number;
  forwardedPacketsTotal(): number;
  forwardedPacketsPerSecond(): number;
  workerLoad(): { workerId: number; utilization: number }[];
  outboxDepth(): Promise<{ appId: string; pending: number; dead: number }[]>;
  webhookAttempts(): { delivered: number; retry: number; dead: number };
  recordingsActive(): number;
  activeCalls(): number;
  ready(): boolean;
}

/** A counter whose total is kept elsewhere: prom-client counters only `inc`, so add the difference. */
function mirroredCounter(registry: client.Registry, name: string, help: string, read: () => number, labelNames: string[] = []) {
  let last = 0;
  return new client.Counter({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      const v = read();
      if (v > last) this.inc(v - last);
      last = Math.max(last, v);
    },
  });
}

export class Metrics {
  readonly registry = new client.Registry();
  readonly logins: client.Counter;
  readonly roomEnters: client.Counter;
  readonly alerts: client.Counter<'rule'>;

  constructor(src: MetricsSources) {
    const r = this.registry;
    // Node process metrics: anychat_process_cpu_seconds_total, anychat_nodejs_eventloop_lag_seconds, …
    client.collectDefaultMetrics({ register: r, prefix: 'anychat_' });
    const gauge = (name: string, help: string, read: () => number) =>
      new client.Gauge({
        name,
        help,
        registers: [r],
        collect() {
          this.set(read());
        },
      });
    gauge('anychat_ready', '1 when every component is up and the host is not stopping', () => (src.ready() ? 1 : 0));
    gauge('anychat_rooms', 'Rooms open now', src.rooms);
    gauge('anychat_users_online', 'Users logged in now', src.users);
    gauge('anychat_signaling_connections', 'Client signaling WebSockets open now', src.signalingConnections);
    gauge('anychat_producers', 'Media producers (published tracks) now', src.producers);
    gauge('anychat_consumers', 'Media consumers (subscribed tracks) now', src.consumers);
    gauge('anychat_calls_active', 'Video calls ringing or talking now', src.activeCalls);
    gauge('anychat_recordings_active', 'Server recordings running now', src.recordingsActive);
    gauge('anychat_forwarded_packets_per_second', 'RTP packets the SFU forwarded per second (last sample)', src.forwardedPacketsPerSecond);
    mirroredCounter(r, 'anychat_forwarded_packets_total', 'RTP packets the SFU forwarded to consumers', src.forwardedPacketsTotal);
    new client.Gauge({
      name: 'anychat_media_worker_event_loop_utilization',
      help: 'Event-loop utilisation (0-1) of each media worker since the previous scrape',
      labelNames: ['worker'],
      registers: [r],
      collect() {
        this.reset();
        for (const w of src.workerLoad()) this.set({ worker: String(w.workerId) }, w.utilization);
      },
    });
    new client.Gauge({
      name: 'anychat_webhook_outbox_depth',
      help: 'Webhook notices waiting in the outbox, by app and state',
      labelNames: ['app', 'state'],
      registers: [r],
      async collect() {
        const depth = await src.outboxDepth();
        this.reset();
        for (const d of depth) {
          this.set({ app: d.appId, state: 'pending' }, d.pending);
          this.set({ app: d.appId, state: 'dead' }, d.dead);
        }
      },
    });
    mirroredCounter(r, 'anychat_webhook_failures_total', 'Webhook delivery attempts that failed (retried or dead)', () => {
      const a = src.webhookAttempts();
      return a.retry + a.dead;
    });
    mirroredCounter(r, 'anychat_webhook_dead_total', 'Webhook notices that exhausted their attempts', () => src.webhookAttempts().dead);
    mirroredCounter(r, 'anychat_webhook_delivered_total', 'Webhook notices delivered', () => src.webhookAttempts().delivered);
    this.logins = new client.Counter({ name: 'anychat_logins_total', help: 'Client logins', registers: [r] });
    this.roomEnters = new client.Counter({ name: 'anychat_room_enters_total', help: 'Users entering rooms', registers: [r] });
    this.alerts = new client.Counter({ name: 'anychat_alerts_total', help: 'Alerts raised, by rule', labelNames: ['rule'], registers: [r] });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
