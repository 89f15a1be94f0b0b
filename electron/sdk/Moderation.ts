/**
 * Kicks and bans (BRAS kick, the console's kick with a ban, the gateway's userinfo_ctrl 1): a
 * kicked user gets `kicked` (211) and the socket closes; a user another cluster node holds is
 * kicked there. Bans live in the store and are announced (`banChanged`).
 */
import { Codes } from '../../shared/codes';
import type { EventQueue } from './EventQueue';
import type { SdkStore } from './SdkStore';
import type { Session } from './Session';
import type { SessionTable } from './SessionTable';
import type { BanEntry, ClusterPort, KickOptions } from './types';

export interface ModerationDeps {
  store: SdkStore;
  sessions: SessionTable;
  events: EventQueue;
  cluster: ClusterPort | null;
  endSession(s: Session, reason: number): Promise<void>;
}

export class Moderation {
  constructor(private readonly d: ModerationDeps) {}

  async kick(userId: number, opts: KickOptions): Promise<boolean> {
    const { store, events, cluster } = this.d;
    if (opts.banSeconds !== undefined && opts.banSeconds > 0) {
      const until = Date.now() + opts.banSeconds * 1000;
      await store.ban(userId, until, opts.reason ?? '');
      events.emit('banChanged', { userId, banned: true, until });
    }
    const s = this.d.sessions.get(userId);
    if (!s) return false;
    if (s.link.remoteNode !== undefined && cluster) return cluster.kickRemote(s.link.remoteNode, userId, opts);
    s.link.push('kicked', {
      errorCode: Codes.LOGOUT_KICKED,
      ...(opts.banSeconds ? { banSeconds: opts.banSeconds } : {}),
      ...(opts.reason ? { reason: opts.reason } : {}),
    });
    await this.d.endSession(s, Codes.LOGOUT_KICKED);
    s.link.close(4211, 'kicked');
    return true;
  }

  listBans(): Promise<BanEntry[]> {
    return this.d.store.listBans();
  }

  async liftBan(userId: number): Promise<boolean> {
    const lifted = await this.d.store.liftBan(userId);
    if (lifted) this.d.events.emit('banChanged', { userId, banned: false, until: null });
    return lifted;
  }
}
