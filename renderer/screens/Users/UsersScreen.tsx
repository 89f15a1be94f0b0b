import { Icon } from '../../components/Icon';
import { useState } from 'react';
import { useT } from '../../i18n/useT';
import { BansPanel } from './BansPanel';
import { BroadcastDialog } from './BroadcastDialog';
import { UsersTable } from './UsersTable';

/** Online users (virtualized, filterable), their actions, active bans and broadcast. */
export function UsersScreen() {
  const t = useT();
  const [broadcast, setBroadcast] = useState(false);
  return (
    <section className="users-layout">
      <UsersTable
        extraTools={
          <button type="button" onClick={() => setBroadcast(true)} data-testid="broadcast-open">
            <Icon name="megaphone" /> {t('users.broadcast')}
          </button>
        }
      />
      <BansPanel />
      {broadcast && <BroadcastDialog onClose={() => setBroadcast(false)} />}
    </section>
  );
}
