/** Rooms and mic queues: list, detail (with producers and recordings), close, mic controls. */
import type { RoomDetail } from '../../../shared/ipc/types';
import type { HandlerDeps, HandlerMap } from './types';
import { clusterRoomList } from './clusterHandlers';

export interface RoomMediaView {
  producersOf(roomId: number): RoomDetail['producers'];
  recordingsOf(roomId: number): RoomDetail['recordings'];
}

export function roomsHandlers(
  { core, audited }: HandlerDeps,
  media: RoomMediaView,
  nameOf: (userId: number) => string,
  chatLogged: (roomId: number) => Promise<boolean>,
) {
  const business = () => core.components.business;
  return {
    'rooms:list': () => clusterRoomList(core),
    'rooms:detail': ({ roomId }) => {
      const d = business().roomDetail(roomId);
      return { ...d, producers: media.producersOf(roomId), recordings: media.recordingsOf(roomId) };
    },
    // Public lines only: whispers stay between their two users.
    'rooms:chat': async ({ roomId, beforeId, limit }) => {
      const lines = (await business().chatHistory({ roomId, beforeId, limit: limit ?? 100 }))
        .filter((e) => !e.secret)
        .map((e) => ({ id: e.id, roomId: e.roomId, srcUserId: e.srcUserId, srcName: nameOf(e.srcUserId), text: e.text, at: e.at }));
      return { lines, logged: await chatLogged(roomId) };
    },
    'rooms:close': ({ roomId, reason }, caller) =>
      audited(caller, 'rooms:close', `room ${roomId}`, { roomId, reason: reason ?? '' }, async () => {
        await business().closeRoom(roomId, reason ?? `closed by operator ${caller.operator}`);
        return {};
      }),
    'mic:reorder': ({ roomId, queue }, caller) =>
      audited(caller, 'mic:reorder', `room ${roomId}`, { roomId, queue }, () => business().reorderQueue(roomId, queue)),
    'mic:removeFromQueue': ({ roomId, userId }, caller) =>
      audited(caller, 'mic:removeFromQueue', `user ${userId} in room ${roomId}`, { roomId, userId }, () => business().removeFromQueue(roomId, userId)),
    'mic:forceOff': ({ roomId, userId }, caller) =>
      audited(caller, 'mic:forceOff', `user ${userId} in room ${roomId}`, { roomId, userId }, () => business().forceOffSeat(roomId, userId)),
    'mic:lockSeat': ({ roomId, seat, locked }, caller) =>
      audited(caller, locked ? 'mic:lockSeat' : 'mic:unlockSeat', `seat ${seat} in room ${roomId}`, { roomId, seat, locked }, () =>
        business().lockSeat(roomId, seat, locked),
      ),
    'mic:setSeatCount': ({ roomId, count }, caller) =>
      audited(caller, 'mic:setSeatCount', `room ${roomId}`, { roomId, count }, () => business().setSeatCount(roomId, count)),
  } satisfies HandlerMap;
}
