import { Icon } from '../../components/Icon';
import { UserLookup } from './UserLookup';
import { useMay } from '../../components/useMay';
import { useState } from 'react';
import { useT } from '../../i18n/useT';
import { BansPanel } from './BansPanel';
import { BroadcastDialog } from './BroadcastDialog';
import { UsersTable } from './UsersTable';

/** Online users (virtualized, filterable), their actions, active bans and broadcast. */
export function UsersScreen() {
  const t = useT();
  const [broadcast, setBroadcast] = useState(false);
  const mayBroadcast = useMay('users:broadcast');
  return (
    <section className="users-layout">
      <UsersTable
        extraTools={
          mayBroadcast ? (
            <button type="button" onClick={() => setBroadcast(true)} data-testid="broadcast-open">
              <Icon name="megaphone" /> {t('users.broadcast')}
            </button>
          ) : (
            <span className="muted small" data-testid="read-only">
              {t('role.readOnly')}
            </span>
          )
        }
      />
      <div className="stack">
        <UserLookup />
        <BansPanel />
      </div>
      {broadcast && <BroadcastDialog onClose={() => setBroadcast(false)} />}
    </section>
  );
}
