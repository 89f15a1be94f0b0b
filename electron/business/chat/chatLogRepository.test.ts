import { expect, it } from 'vitest';
import { describeEachStore } from '../../store/testing/storeMatrix';
import { businessMigrations } from '../businessMigrations';
import { ChatLogRepository, chatLogPgMigrations } from './chatLogRepository';

describeEachStore('ChatLogRepository', { sqlite: businessMigrations, postgres: chatLogPgMigrations }, (store) => {
  it('appends, queries newest first by room id or name, pages, and prunes', async () => {
    const repo = new ChatLogRepository(store().db);
    for (let i = 0; i < 5; i++) {
      void repo.append({ roomId: 1, roomName: 'a', srcUserId: 10 + i, targetUserId: -1, secret: false, text: `m${i}`, at: 1000 + i });
    }
    await repo.append({ roomId: 2, roomName: null, srcUserId: 9, targetUserId: 10, secret: true, text: '你好', at: 2000 });
    const a = await repo.query({ roomId: 1, limit: 3 });
    expect(a.map((e) => e.text)).toEqual(['m4', 'm3', 'm2']);
    expect((await repo.query({ roomName: 'a', beforeId: a[2]!.id })).map((e) => e.text)).toEqual(['m1', 'm0']);
    const b = await repo.query({ roomId: 2 });
    expect(b).toEqual([{ id: b[0]!.id, roomId: 2, roomName: null, srcUserId: 9, targetUserId: 10, secret: true, text: '你好', at: 2000 }]);
    expect(await repo.prune(1003)).toBe(3);
    expect((await repo.query({})).length).toBe(3);
  });

  it('survives reopening', async () => {
    await new ChatLogRepository(store().db).append({ roomId: 3, roomName: 'x', srcUserId: 1, targetUserId: -1, secret: false, text: 'kept', at: 1 });
    const reopened = new ChatLogRepository(await store().reopen());
    expect((await reopened.query({ roomId: 3 }))[0]!.text).toBe('kept');
  });
});
