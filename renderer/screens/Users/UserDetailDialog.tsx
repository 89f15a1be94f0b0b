import { useEffect } from 'react';
import { Dialog } from '../../components/Dialog';
import { formatTime } from '../../components/format';
import { useT } from '../../i18n/useT';
import { useBan } from '../../state/selectors';
import { useConsoleStore } from '../../state/store';
import { QualityChart } from '../History/QualityChart';

/** A user's info, friends and ban (`users:detail`); the ban shown follows `bans:changed`. */
export function UserDetailDialog({ userId, onClose }: { userId: number; onClose: () => void }) {
  const t = useT();
  const language = useConsoleStore((s) => s.language);
  const ban = useBan(userId);
  const fetchUserDetail = useConsoleStore((s) => s.fetchUserDetail);
  const read = useConsoleStore((s) => (s.userDetailRead?.key === userId ? s.userDetailRead : null));
  const detail = useConsoleStore((s) => (s.userDetailRead?.key === userId ? s.userDetail : null));
  useEffect(() => {
    void fetchUserDetail(userId);
  }, [fetchUserDetail, userId]);
  const error = read?.error ? t('common.error', { code: read.error.code, message: read.error.message }) : null;
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
