import { describe, expect, it } from 'vitest';
import { RemoteTransfers } from './RemoteTransfers';

const frame = (notification: string, data: Record<string, unknown>) => JSON.stringify({ notification, data });

describe('RemoteTransfers', () => {
  it("knows which node sends each download (after its end too), and owes transferEnd for a dead node's unfinished ones only", () => {
    const t = new RemoteTransfers();
    t.seen('a', frame('transferBegin', { taskId: 1, kind: 'buffer' }), [7]);
    t.seen('a', frame('transferBegin', { taskId: 2, kind: 'file' }), [8, 9]);
    t.seen('b', frame('transferBegin', { taskId: 3, kind: 'buffer' }), [7]);
    t.seen('a', frame('transferChunk', { taskId: 1, offset: 0, data: '' }), [7]);
    t.seen('a', frame('transferEnd', { taskId: 1, errorCode: 0 }), [7]);
    expect([t.nodeOf(1), t.nodeOf(2), t.nodeOf(3), t.nodeOf(4)]).toEqual(['a', 'a', 'b', undefined]);
    expect(t.dropNode('a', 100)).toEqual([{ frame: frame('transferEnd', { taskId: 2, errorCode: 100 }), userIds: [8, 9] }]);
    expect([t.nodeOf(1), t.nodeOf(2), t.nodeOf(3)]).toEqual([undefined, undefined, 'b']);
  });
});
