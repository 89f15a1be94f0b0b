import { memo, useDeferredValue, useState } from 'react';
import { TitledTable } from '../../components/TitledTable';
import { useT } from '../../i18n/useT';
import { useFilteredRooms, useRoom } from '../../state/selectors';
import { useConsoleStore } from '../../state/store';

/** All rooms with user counts, searchable by id or name; a row opens the room. */
export function RoomList() {
  const t = useT();
  const [query, setQuery] = useState('');
  const deferredQuery = useDeferredValue(query);
  const rooms = useFilteredRooms(deferredQuery);
  return (
    <TitledTable
      className="stack"
      tools={
        <>
          <input
            type="search"
            aria-label={t('rooms.search')}
            placeholder={t('rooms.search')}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            data-testid="rooms-search"
          />
          <span className="muted" data-testid="rooms-count">
            {t('rooms.count', { count: rooms.length })}
          </span>
        </>
      }
      headers={[
        t('rooms.id'),
        t('rooms.name'),
        t('rooms.users'),
        t('rooms.capacity'),
        t('rooms.seats'),
        t('rooms.queue'),
        // A cluster names the nodes each room's members are on.
        ...(rooms[0]?.nodes !== undefined ? [t('nodes.title')] : []),
      ]}
      empty={rooms.length === 0}
      emptyText={t('rooms.empty')}
    >
      {rooms.slice(0, 500).map((r) => (
        <RoomRow key={r.roomId} roomId={r.roomId} />
      ))}
    </TitledTable>
  );
}

const RoomRow = memo(function RoomRow({ roomId }: { roomId: number }) {
  const t = useT();
  const room = useRoom(roomId);
  const roomOpened = useConsoleStore((s) => s.roomOpened);
  if (!room) return null;
  return (
    <tr data-testid={`room-row-${roomId}`} className="clickable" onClick={() => roomOpened(roomId)}>
      <td>
        <button type="button" className="link" aria-label={t('rooms.open', { roomId })} onClick={(e) => (e.stopPropagation(), roomOpened(roomId))}>
          {roomId}
        </button>
        {room.isCallRoom && <span className="tag">{t('rooms.callRoom')}</span>}
        {room.hasPassword && <span className="tag">{t('rooms.password')}</span>}
      </td>
      <td>{room.name ?? '—'}</td>
      <td data-testid={`room-users-${roomId}`}>{room.userCount}</td>
      <td>{room.capacity ?? '∞'}</td>
      <td>{room.seatCount}</td>
      <td>{room.queueLength}</td>
      {room.nodes !== undefined && <td data-testid={`room-nodes-${roomId}`}>{room.nodes.join(', ')}</td>}
    </tr>
  );
});
