import { Icon } from '../../components/Icon';
import { useMay } from '../../components/useMay';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useDeferredValue, useMemo, useRef, useState, type ReactNode } from 'react';
import { formatShortTime, formatTime } from '../../components/format';
import { useT } from '../../i18n/useT';
import { useConsoleStore } from '../../state/store';
import { AGENT_FLAG, emptyUserFilter, filterUserIds, type UserFilter } from '../../state/usersSlice';
import { KickDialog } from './KickDialog';
import { MessageDialog } from './MessageDialog';
import { UserDetailDialog } from './UserDetailDialog';

const ROW_HEIGHT = 36;

type Action = { kind: 'kick' | 'message' | 'detail'; userId: number } | null;

export function UsersTable({ extraTools }: { extraTools?: ReactNode }) {
  const t = useT();
  const [filter, setFilter] = useState<UserFilter>(emptyUserFilter);
  const [action, setAction] = useState<Action>(null);
  const version = useDeferredValue(useConsoleStore((s) => s.usersVersion));
  const deferredFilter = useDeferredValue(filter);
  const ids = useMemo(() => filterUserIds(useConsoleStore.getState().users, deferredFilter), [version, deferredFilter]);
  const total = useConsoleStore((s) => s.users.size);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: ids.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });

  return (
    <section className="stack users-main">
      <Filters filter={filter} onChange={setFilter}>
        <span className="muted" data-testid="users-count">
          {t('users.count', { shown: ids.length, total })}
        </span>
        <span className="spacer" />
        {extraTools}
      </Filters>
      <div className="vtable" role="table" aria-label={t('nav.users')} aria-rowcount={ids.length + 1}>
        <div className="vrow vhead" role="row">
          {(['users.id', 'users.userName', 'users.nickName', 'users.room', 'users.role', 'users.loginAt', 'users.address', 'users.flags', 'users.actions'] as const).map((k) => (
            <span key={k} role="columnheader">
              {t(k)}
            </span>
          ))}
        </div>
        <div ref={scrollRef} className="vbody" data-testid="users-scroll">
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => (
              <UserRow key={ids[item.index]} userId={ids[item.index]} top={item.start} index={item.index} onAction={setAction} />
            ))}
          </div>
        </div>
      </div>
      {action?.kind === 'kick' && <KickDialog userId={action.userId} onClose={() => setAction(null)} />}
      {action?.kind === 'message' && <MessageDialog userId={action.userId} onClose={() => setAction(null)} />}
      {action?.kind === 'detail' && <UserDetailDialog userId={action.userId} onClose={() => setAction(null)} />}
    </section>
  );
}

function Filters({ filter, onChange, children }: { filter: UserFilter; onChange: (f: UserFilter) => void; children?: ReactNode }) {
  const t = useT();
  const roomsVersion = useConsoleStore((s) => s.roomsVersion);
  const roomIds = useMemo(() => [...useConsoleStore.getState().rooms.keys()].sort((a, b) => a - b), [roomsVersion]);
  return (
    <div className="toolbar wrap">
      <input type="search" aria-label={t('users.search')} placeholder={t('users.search')} value={filter.text} onChange={(e) => onChange({ ...filter, text: e.target.value })} data-testid="users-search" />
      <label>
        {t('users.filterRoom')}{' '}
        <select
          value={filter.roomId === null ? 'any' : String(filter.roomId)}
          onChange={(e) => onChange({ ...filter, roomId: e.target.value === 'any' ? null : Number(e.target.value) })}
          data-testid="users-filter-room"
        >
          <option value="any">{t('users.anyRoom')}</option>
          <option value="-1">{t('users.noRoom')}</option>
          {roomIds.map((id) => (
            <option key={id} value={id}>
              {id}
            </option>
          ))}
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

const UserRow = memo(function UserRow({ userId, top, index, onAction }: { userId: number; top: number; index: number; onAction: (a: Action) => void }) {
  const t = useT();
  const user = useConsoleStore((s) => s.users.get(userId));
  const language = useConsoleStore((s) => s.language);
  const roomOpened = useConsoleStore((s) => s.roomOpened);
  const mayAct = useMay('users:kick');
  if (!user) return null;
  const name = user.nickName || user.userName;
  return (
    <div className="vrow" role="row" aria-rowindex={index + 2} data-testid={`user-row-${userId}`} style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT }}>
      <span role="cell">{user.userId}</span>
      <span role="cell">
        {user.userName} {user.guest && <span className="tag">{t('users.guest')}</span>}
      </span>
      <span role="cell">{user.nickName}</span>
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
      <span role="cell" title={formatTime(user.loginAt, language)}>{formatShortTime(user.loginAt, language)}</span>
      <span role="cell">{user.address}</span>
      <span role="cell">
        0x{user.flags.toString(16)}
        {(user.flags & AGENT_FLAG) !== 0 && <span className="tag">{t('users.agent')}</span>}
      </span>
      <span role="cell" className="row-actions">
        <button type="button" className="icon" aria-label={t('users.details', { name })} title={t('users.details', { name })} data-testid={`detail-${userId}`} onClick={() => onAction({ kind: 'detail', userId })}>
          <Icon name="info" />
        </button>
        {mayAct && (
          <>
            <button type="button" className="icon" aria-label={t('users.message', { name })} title={t('users.message', { name })} data-testid={`message-${userId}`} onClick={() => onAction({ kind: 'message', userId })}>
              <Icon name="mail" />
            </button>
            <button type="button" className="icon danger" aria-label={t('users.kick', { name })} title={t('users.kick', { name })} data-testid={`kick-${userId}`} onClick={() => onAction({ kind: 'kick', userId })}>
              <Icon name="kick" />
            </button>
          </>
        )}
      </span>
    </div>
  );
});
