import { useEffect, useState } from 'react';
import type { UserDetail } from '../../../shared/ipc/contract';
import { Dialog } from '../../components/Dialog';
import { formatTime } from '../../components/format';
import { useT } from '../../i18n/useT';
import { useConsoleStore } from '../../state/store';
import { QualityChart } from '../History/QualityChart';

/** A user's info, friends and ban (`users:detail`); the ban shown follows `bans:changed`. */
export function UserDetailDialog({ userId, onClose }: { userId: number; onClose: () => void }) {
  const t = useT();
  const language = useConsoleStore((s) => s.language);
  const liveBan = useConsoleStore((s) => s.bans.get(userId) ?? null);
  const [detail, setDetail] = useState<UserDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const client = useConsoleStore.getState().client;
    let live = true;
    void client?.call('users:detail', { userId }).then((r) => {
      if (!live) return;
      if (r.ok) setDetail(r.value);
      else setError(t('common.error', { code: r.error.code, message: r.error.message }));
    });
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [userId]);
  const ban = liveBan;
  return (
    <Dialog title={t('detail.title', { userId })} onClose={onClose} testId="user-detail">
      <div className="dialog-body">
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        {!detail && !error && <p className="muted">{t('common.loading')}</p>}
        {detail && (
          <>
            <h4>{t('detail.info')}</h4>
            <dl className="kv">
              <dt>{t('users.userName')}</dt>
              <dd>{detail.userName}</dd>
              <dt>{t('users.nickName')}</dt>
              <dd>{detail.nickName}</dd>
              <dt>{t('detail.level')}</dt>
              <dd>{detail.level}</dd>
              <dt>{t('users.address')}</dt>
              <dd data-testid="user-detail-address">{detail.address || '—'}</dd>
              <dt>{t('lookup.state')}</dt>
              <dd data-testid="user-detail-presence">
                {detail.user
                  ? t('detail.online')
                  : detail.lastLogoutAt
                    ? t('lookup.leftAt', { time: formatTime(detail.lastLogoutAt, language) })
                    : t('detail.offline')}
              </dd>
              {Object.entries(detail.info).map(([k, v]) => (
                <div key={k} className="kv-pair">
                  <dt>{k}</dt>
                  <dd>{v}</dd>
                </div>
              ))}
            </dl>
            <h4>{t('detail.friends')}</h4>
            {detail.friends.length === 0 ? (
              <p className="muted">{t('detail.noFriends')}</p>
            ) : (
              <ul className="plain" data-testid="user-friends">
                {detail.friends.map((f) => (
                  <li key={f.userId}>
                    {f.nickName} ({f.userId}) · <span className={f.online ? 'ok' : 'muted'}>{f.online ? t('detail.online') : t('detail.offline')}</span>
                    {f.groupId !== null && <span className="muted"> · {detail.groups.find((g) => g.groupId === f.groupId)?.name ?? f.groupId}</span>}
                  </li>
                ))}
              </ul>
            )}
            <h4>{t('detail.ban')}</h4>
            <p data-testid="user-ban">
              {ban ? t('detail.bannedUntil', { time: formatTime(ban.until, language), by: ban.by, reason: ban.reason }) : t('detail.notBanned')}
            </p>
            <QualityChart userId={userId} />
          </>
        )}
      </div>
    </Dialog>
  );
}
