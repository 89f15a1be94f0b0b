/**
 * Turns component events into the console's event streams (shared/ipc/contract.ts ConsoleEvents).
 * User changes are coalesced per 100 ms so 10,000 users logging in cost a few hundred small
 * batches, not 10,000 renders.
 */
import type { ConsoleEvents } from '../../shared/ipc/contract';
import type { Core } from '../core/Core';
import type { TypedEmitter } from '../util/TypedEmitter';
import type { BanBook } from './banBook';
import { callView, userView } from './toView';
import { clusterRoomSummary, removedRoom, withClusterMembers } from './handlers/clusterHandlers';
import type { UserHistory } from './userHistory';

const USER_BATCH_MS = 100;

export class ConsoleFeeds {
  private readonly disposers: (() => void)[] = [];
  private readonly dirtyUsers = new Set<number>();
  private flushTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly core: Core,
    private readonly out: TypedEmitter<ConsoleEvents>,
    private readonly bans: BanBook,
    history: UserHistory,
    chatName: (userId: number) => string,
  ) {
    const { sdk, business, gateway, cluster } = core.components;
    const touch = (userId: number) => this.markUser(userId);
    // Other nodes' users come and go, and enter and leave rooms, without events here (a cluster).
    if (cluster)
      this.disposers.push(
        cluster.onRemoteUser(touch),
        cluster.onRemoteRoom((roomId) => out.emit('rooms:changed', clusterRoomSummary(core, roomId) ?? { ...removedRoom(roomId), removed: true })),
      );
    this.disposers.push(
      core.status.on('changed', (s) => out.emit('status:changed', s)),
      core.audit.on('appended', (e) => out.emit('audit:appended', e)),
      sdk.on('login', (e) => {
        const u = sdk.getOnlineUser(e.userId);
        history.loggedIn({ userId: e.userId, userName: e.userName, nickName: e.nickName, address: e.ip, guest: u?.guest ?? false });
        touch(e.userId);
      }),
      sdk.on('logout', (e) => {
        history.loggedOut(e.userId);
        touch(e.userId);
      }),
      sdk.on('enterRoom', (e) => touch(e.userId)),
      sdk.on('leaveRoom', (e) => touch(e.userId)),
      sdk.on('videoCall', () => out.emit('calls:changed', { calls: sdk.listCalls().map(callView) })),
      sdk.on('banChanged', () => this.bansChanged()),
      // Public room chat, live (whispers stay private).
      sdk.on('textMessage', (m) => {
        if (m.secret || m.roomId <= 0) return;
        out.emit('rooms:chat', { id: null, roomId: m.roomId, srcUserId: m.srcUserId, srcName: chatName(m.srcUserId), text: m.text, at: Date.now() });
      }),
      // In a cluster the count and the nodes are the whole cluster's.
      business.on('roomChanged', (r) => out.emit('rooms:changed', r.removed ? r : withClusterMembers(core, r))),
      business.on('roomMembers', (m) => {
        out.emit('rooms:members', m);
        for (const u of m.users) touch(u.userId);
      }),
      business.on('micChanged', (m) => out.emit('mic:changed', m)),
      gateway.on('outboxChanged', (e) => out.emit('gateway:changed', e)),
      gateway.on('queueChanged', (e) => out.emit('queues:changed', e)),
    );
    // Bans from before a restart lapse on time too.
    void this.bans.nextExpiry().then((next) => {
      if (next !== null) this.bansChanged();
    }, this.storeFailed);
  }

  private expiryTimer: NodeJS.Timeout | null = null;

  /** Pushes the ban list, and again when the next ban lapses (so expired bans leave every console without a reload). */
  private bansChanged(): void {
    void this.pushBans().catch(this.storeFailed);
  }

  private readonly storeFailed = (err: unknown): void => this.core.logger.warn({ err }, 'ban list not pushed: the store failed');

  private async pushBans(): Promise<void> {
    const bans = await this.bans.list();
    this.out.emit('bans:changed', { bans });
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.expiryTimer = null;
    const next = await this.bans.nextExpiry();
    if (next !== null) {
      // setTimeout's limit is ~24.8 days; a longer ban re-arms on the way.
      this.expiryTimer = setTimeout(() => this.bansChanged(), Math.min(Math.max(0, next - Date.now()) + 50, 2 ** 31 - 1));
      this.expiryTimer.unref();
    }
  }

  private markUser(userId: number): void {
    this.dirtyUsers.add(userId);
    if (!this.flushTimer) this.flushTimer = setTimeout(() => this.flushUsers(), USER_BATCH_MS);
  }

  private flushUsers(): void {
    this.flushTimer = null;
    const { sdk } = this.core.components;
    const upserted = [];
    const removed = [];
    for (const id of this.dirtyUsers) {
      const u = sdk.getOnlineUser(id);
      if (u) upserted.push(userView(u));
      else removed.push(id);
    }
    this.dirtyUsers.clear();
    if (upserted.length || removed.length) this.out.emit('users:changed', { upserted, removed });
  }

  close(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.disposers.splice(0).forEach((d) => d());
  }
}
