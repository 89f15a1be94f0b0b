import { Icon } from '../../components/Icon';
import { decodeUserFlags } from '../../components/meaning';
import { useMay } from '../../components/useMay';
import { useVirtualizer, type VirtualItem } from '@tanstack/react-virtual';
import { memo, useDeferredValue, useRef, useState, type ReactNode } from 'react';
import { formatShortTime, formatTime } from '../../components/format';
import { useT } from '../../i18n/useT';
import { useConsoleStore } from '../../state/store';
import { useFilteredUserIds, useRoomOptions, useUser, useUsersClustered } from '../../state/selectors';
import { AGENT_FLAG, emptyUserFilter, type UserFilter } from '../../state/usersSlice';
import { KickDialog } from './KickDialog';
import { MessageDialog } from './MessageDialog';
import { UserDetailDialog } from './UserDetailDialog';

const ROW_HEIGHT = 36;

type Action = { kind: 'kick' | 'message' | 'detail'; userId: number } | null;

export function UsersTable({ extraTools }: { extraTools?: ReactNode }) {
  const t = useT();
  const [filter, setFilter] = useState<UserFilter>(emptyUserFilter);
  const [action, setAction] = useState<Action>(null);
  const { ids, total } = useFilteredUserIds(useDeferredValue(filter));
  const clustered = useUsersClustered();

  return (
    <section className={clustered ? 'stack users-main clustered' : 'stack users-main'}>
      <Filters filter={filter} onChange={setFilter}>
        <span className="muted" data-testid="users-count">
          {t('users.count', { shown: ids.length, total })}
        </span>
        <span className="spacer" />
        {extraTools}
      </Filters>
      <div className="vtable" role="table" aria-label={t('nav.users')} aria-rowcount={ids.length + 1}>
        <div className="vrow vhead" role="row">
          {(
            [
              'users.id',
              'users.userName',
              'users.nickName',
              'users.room',
              'users.role',
              'users.loginAt',
              'users.address',
              'users.flags',
              ...(clustered ? (['nodes.node'] as const) : []),
              'users.actions',
            ] as const
          ).map((k) => (
            <span key={k} role="columnheader">
              {t(k)}
            </span>
          ))}
        </div>
        <UserRows ids={ids} onAction={setAction} />
      </div>
      {action?.kind === 'kick' && <KickDialog userId={action.userId} onClose={() => setAction(null)} />}
      {action?.kind === 'message' && <MessageDialog userId={action.userId} onClose={() => setAction(null)} />}
      {action?.kind === 'detail' && <UserDetailDialog userId={action.userId} onClose={() => setAction(null)} />}
    </section>
  );
}

function Filters({ filter, onChange, children }: { filter: UserFilter; onChange: (f: UserFilter) => void; children?: ReactNode }) {
  const t = useT();
  const roomOptions = useRoomOptions();
  return (
    <div className="toolbar wrap">
      <input
        type="search"
        aria-label={t('users.search')}
        placeholder={t('users.search')}
        value={filter.text}
        onChange={(e) => onChange({ ...filter, text: e.target.value })}
        data-testid="users-search"
      />
      <label>
        {t('users.filterRoom')}{' '}
        <select
          value={filter.roomId === null ? 'any' : String(filter.roomId)}
          onChange={(e) => onChange({ ...filter, roomId: e.target.value === 'any' ? null : Number(e.target.value) })}
          data-testid="users-filter-room"
        >
          <option value="any">{t('users.anyRoom')}</option>
          <option value="-1">{t('users.noRoom')}</option>
          <RoomOptions options={roomOptions} />
        </select>
      </label>
      <label>
        {t('users.filterGuest')}{' '}
        <select value={filter.guest} onChange={(e) => onChange({ ...filter, guest: e.target.value as UserFilter['guest'] })} data-testid="users-filter-guest">
          <option value="any">{t('common.all')}</option>
          <option value="guest">{t('users.guest')}</option>
          <option value="registered">{t('users.registered')}</option>
        </select>
      </label>
      <label>
        {t('users.filterAgent')}{' '}
        <select value={filter.agent} onChange={(e) => onChange({ ...filter, agent: e.target.value as UserFilter['agent'] })} data-testid="users-filter-agent">
          <option value="any">{t('common.all')}</option>
          <option value="agent">{t('users.agent')}</option>
          <option value="not-agent">{t('users.notAgent')}</option>
        </select>
      </label>
      {children}
    </div>
  );
}

/**
 * The scroller and its rows. Its own component, so a scroll (which re-renders the virtualizer
 * synchronously) renders only the rows, not the filters and headers above them.
 */
const UserRows = memo(function UserRows({ ids, onAction }: { ids: number[]; onAction: (a: Action) => void }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: ids.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 2 });
  return (
    <div ref={scrollRef} className="vbody" data-testid="users-scroll">
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        <RowWindow items={virtualizer.getVirtualItems()} ids={ids} onAction={onAction} />
      </div>
    </div>
  );
});

/** More than the rows ever rendered at once (visible + overscan), so slot keys never collide. */
const ROW_POOL = 128;

/**
 * The rendered rows, in normal flow inside one box moved to the first row's offset. Rows are
 * keyed by slot (index mod ROW_POOL), not by user: scrolling a screenful reuses the same row
 * elements with new text instead of unmounting and mounting them — a screenful of new DOM per
 * wheel tick is what made scrolling cost 30–60 ms a frame.
 */
function RowWindow({ items, ids, onAction }: { items: VirtualItem[]; ids: number[]; onAction: (a: Action) => void }) {
  return (
    <div className="vwindow" style={{ transform: `translateY(${items[0]?.start ?? 0}px)` }}>
      {items.map((item) => (
        <UserRow key={item.index % ROW_POOL} userId={ids[item.index]} index={item.index} onAction={onAction} />
      ))}
    </div>
  );
}

/** 500 options are costly to diff: rendered again only when the room set changes. */
const RoomOptions = memo(function RoomOptions({ options }: { options: { id: number; label: string }[] }) {
  return (
    <>
      {options.map((o) => (
        <option key={o.id} value={o.id}>
          {o.label}
        </option>
      ))}
    </>
  );
});

const UserRow = memo(function UserRow({ userId, index, onAction }: { userId: number; index: number; onAction: (a: Action) => void }) {
  const t = useT();
  const user = useUser(userId);
  const language = useConsoleStore((s) => s.language);
  const roomOpened = useConsoleStore((s) => s.roomOpened);
  const mayAct = useMay('users:kick');
  if (!user) return null;
  const name = user.nickName || user.userName;
  return (
    <div className="vrow" role="row" aria-rowindex={index + 2} data-testid={`user-row-${userId}`} style={{ height: ROW_HEIGHT }}>
      <span role="cell" title={t('users.idHover', { id: user.userId })}>
        {user.userId}
      </span>
      <span role="cell">
        {user.userName} {user.guest && <span className="tag">{t('users.guest')}</span>}
      </span>
      <span role="cell" title={t('users.idHover', { id: user.userId })}>
        {user.nickName}
      </span>
      <span role="cell">
        {user.roomId === null ? (
          '—'
        ) : (
          <button type="button" className="link" onClick={() => roomOpened(user.roomId!)} aria-label={t('rooms.open', { roomId: user.roomId })}>
            {user.roomId}
          </button>
        )}
      </span>
      <span role="cell">{user.role ? t(`room.role.${user.role}`) : '—'}</span>
      <span role="cell" title={formatTime(user.loginAt, language)}>
        {formatShortTime(user.loginAt, language)}
      </span>
      <span role="cell">{user.address}</span>
      <span role="cell" title={t('users.flags.title', { hex: user.flags.toString(16) })}>
        {(user.flags & AGENT_FLAG) !== 0 ? <span className="tag">{t('users.agent')}</span> : decodeUserFlags(user.flags).join(', ')}
      </span>
      {user.node !== undefined && (
        <span role="cell" data-testid={`user-node-${userId}`}>
          {user.node}
        </span>
      )}
      <span role="cell" className="row-actions">
        <button
          type="button"
          className="icon"
          aria-label={t('users.details', { name })}
          title={t('users.details', { name })}
          data-testid={`detail-${userId}`}
          onClick={() => onAction({ kind: 'detail', userId })}
        >
          <Icon name="info" />
        </button>
        {mayAct && (
          <>
            <button
              type="button"
              className="icon"
              aria-label={t('users.message', { name })}
              title={t('users.message', { name })}
              data-testid={`message-${userId}`}
              onClick={() => onAction({ kind: 'message', userId })}
            >
              <Icon name="mail" />
            </button>
            <button
              type="button"
              className="icon danger"
              aria-label={t('users.kick', { name })}
              title={t('users.kick', { name })}
              data-testid={`kick-${userId}`}
              onClick={() => onAction({ kind: 'kick', userId })}
            >
              <Icon name="kick" />
            </button>
          </>
        )}
      </span>
    </div>
  );
});
