import { useEffect, useState } from 'react';
import { signOut } from '../api/webSession';
import { useT } from '../i18n/useT';
import { AuditScreen } from '../screens/Audit/AuditScreen';
import { HistoryScreen } from '../screens/History/HistoryScreen';
import { CallsScreen } from '../screens/Calls/CallsScreen';
import { GatewayScreen } from '../screens/Gateway/GatewayScreen';
import { QueuesScreen } from '../screens/Queues/QueuesScreen';
import { DashboardScreen } from '../screens/Dashboard/DashboardScreen';
import { RecordingsScreen } from '../screens/Recordings/RecordingsScreen';
import { RoomsScreen } from '../screens/Rooms/RoomsScreen';
import { UsersScreen } from '../screens/Users/UsersScreen';
import { SignInScreen } from '../screens/SignIn/SignInScreen';
import { useConsoleStore } from '../state/store';
import type { Page } from '../state/uiSlice';
import { connectOnLoad, detachClient } from './connect';
import { NavBar } from './shell/NavBar';
import { NoticeBar } from './shell/NoticeBar';
import { useHashRouting } from './useHashRouting';
import { StatusBar } from './shell/StatusBar';

function Screen({ page }: { page: Page }) {
  switch (page) {
    case 'dashboard':
      return <DashboardScreen />;
    case 'rooms':
      return <RoomsScreen />;
    case 'users':
      return <UsersScreen />;
    case 'recordings':
      return <RecordingsScreen />;
    case 'calls':
      return <CallsScreen />;
    case 'gateway':
      return <GatewayScreen />;
    case 'queues':
      return <QueuesScreen />;
    case 'history':
      return <HistoryScreen />;
    case 'audit':
      return <AuditScreen />;
  }
}

export function App() {
  const t = useT();
  const connection = useConsoleStore((s) => s.connection);
  const connectionError = useConsoleStore((s) => s.connectionError);
  const page = useConsoleStore((s) => s.page);
  const shell = useConsoleStore((s) => s.client?.shell);
  const [loading, setLoading] = useState(true);
  useHashRouting();

  useEffect(() => {
    connectOnLoad()
      .catch(() => undefined)
      .finally(() => setLoading(false));
  }, []);

  useEffect(() => {
    document.documentElement.lang = useConsoleStore.getState().language;
    document.title = t('app.title');
  }, [t]);

  if (loading) return <p className="muted center">{t('common.loading')}</p>;
  if (connection === 'signed-out' || connection === 'connecting') return <SignInScreen />;

  async function handleSignOut() {
    await signOut();
    detachClient();
  }

  return (
    <div className="shell">
      <NavBar onSignOut={shell === 'web' ? handleSignOut : undefined} />
      {connection === 'lost' && (
        <div role="alert" className="banner error">
          {t('conn.lost', { reason: connectionError ?? '' })}
        </div>
      )}
      <NoticeBar />
      <main className="content" data-testid={`screen-${page}`}>
        <Screen page={page} />
      </main>
      <StatusBar />
    </div>
  );
}
