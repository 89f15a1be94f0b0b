/**
 * Media follows seats (seed §8.3) over real sockets and the real media node: an audience member
 * without a seat cannot produce (900920); a seated one can; losing the seat closes their
 * producers (the room sees producerClosed); interactive members produce without a seat.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AnyChatClient } from '../../../shared/client';
import { Codes } from '../../../shared/codes';
import type { MediaNode } from '../../media';
import { collect, eventually, expectCode, startBusiness, uid, type BizHarness } from './harness';
import { startMediaNode, vp8Params } from './mediaNodePort';

let h: BizHarness | null = null;
let node: MediaNode | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
  await node?.close();
  node = null;
});

async function sendTransport(c: AnyChatClient): Promise<string> {
  const t = (await c.request('createWebRtcTransport', { direction: 'send' })) as { id: string };
  return t.id;
}

const produce = (c: AnyChatClient, transportId: string, ssrc: number) =>
  c.request('produce', { transportId, kind: 'video', rtpParameters: vp8Params(ssrc) }) as Promise<{ id: string }>;

describe('media follows mic seats (real media node)', () => {
  it('refuses an audience member without a seat, allows a seated one, and closes producers with the seat', async () => {
    const media = await startMediaNode(43500, 43599);
    node = media.node;
    h = await startBusiness({ media: media.port });
    const cs: AnyChatClient[] = [];
    for (let n = 1; n <= 6; n++) cs.push(await h.login(n));
    const { roomId } = await cs[0]!.enterRoom({ roomName: 'show', role: 'audience' });
    for (const c of cs.slice(1, 5)) await c.enterRoom({ roomId, role: 'audience' });
    await cs[5]!.enterRoom({ roomId, role: 'interactive' });
    const closedSeen = collect(cs[4]!, 'producerClosed');
    const newSeen = collect(cs[4]!, 'newProducer');

    const t1 = await sendTransport(cs[0]!);
    await expectCode(produce(cs[0]!, t1, 1111), Codes.PRODUCE_NEEDS_SEAT);
    // An interactive member needs no seat.
    const t6 = await sendTransport(cs[5]!);
    await produce(cs[5]!, t6, 6666);

    expect(await cs[0]!.request('micRequest', {})).toEqual({ state: 'seated', seat: 0 });
    const p1 = await produce(cs[0]!, t1, 1111);
    await cs[1]!.request('micRequest', {});
    await cs[2]!.request('micRequest', {});
    const t3 = await sendTransport(cs[2]!);
    await expectCode(produce(cs[2]!, t3, 3333), Codes.PRODUCE_NEEDS_SEAT); // queued is not seated
    await eventually(() => expect(newSeen.map((p) => p.userId).sort()).toEqual([uid(1), uid(6)]));

    // The operator forces user 1 off: their producer is closed, the queue head (user 3) may now publish.
    h.business.forceOffSeat(roomId, uid(1));
    await eventually(() => expect(closedSeen).toContainEqual({ producerId: p1.id, userId: uid(1), kind: 'video' }));
    await produce(cs[2]!, t3, 3333);
    await expectCode(produce(cs[0]!, t1, 1112), Codes.PRODUCE_NEEDS_SEAT);

    // Releasing the mic (and timing out, locking…) goes the same way.
    await cs[2]!.request('micRelease', {});
    await eventually(() => expect(closedSeen.filter((p) => p.userId === uid(3))).toHaveLength(1));
    // Switching to audience without a seat closes the interactive member's producers too.
    await cs[5]!.request('setRole', { role: 'audience' });
    await eventually(() => expect(closedSeen.filter((p) => p.userId === uid(6))).toHaveLength(1));
    await expectCode(produce(cs[5]!, t6, 6667), Codes.PRODUCE_NEEDS_SEAT);
  }, 20_000);
});
