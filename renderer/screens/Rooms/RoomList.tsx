import { memo, useDeferredValue, useMemo, useState } from 'react';
import { useT } from '../../i18n/useT';
import { filterRooms } from '../../state/roomsSlice';
import { useConsoleStore } from '../../state/store';

/** All rooms with user counts, searchable by id or name; a row opens the room. */
export function RoomList() {
  const t = useT();
  const [query, setQuery] = useState('');
  const deferredQuery = useDeferredValue(query);
  const version = useConsoleStore((s) => s.roomsVersion);
  const rooms = useMemo(() => filterRooms(useConsoleStore.getState().rooms, deferredQuery), [version, deferredQuery]);
  return (
    <section className="stack">
      <div className="toolbar">
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
      </div>
      {rooms.length === 0 ? (
        <p className="muted">{t('rooms.empty')}</p>
      ) : (
        <table className="grid">
          <thead>
            <tr>
              <th>{t('rooms.id')}</th>
              <th>{t('rooms.name')}</th>
              <th>{t('rooms.users')}</th>
              <th>{t('rooms.capacity')}</th>
              <th>{t('rooms.seats')}</th>
              <th>{t('rooms.queue')}</th>
              {rooms[0]?.nodes !== undefined && <th>{t('nodes.title')}</th>}
            </tr>
          </thead>
          <tbody>
            {rooms.slice(0, 500).map((r) => (
              <RoomRow key={r.roomId} roomId={r.roomId} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const RoomRow = memo(function RoomRow({ roomId }: { roomId: number }) {
  const t = useT();
  const room = useConsoleStore((s) => s.rooms.get(roomId));
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
