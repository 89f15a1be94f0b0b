import { useEffect, useState } from 'react';
import type { DemoInfo } from '../../../shared/ipc/types';
import { useT } from '../../i18n/useT';
import { useConsoleStore } from '../../state/store';

const HIDDEN_KEY = 'anychat.demoBannerHidden';
const REFRESH_MS = 5000;

/**
 * First-run banner of a demo install (`demo:info` is null otherwise): what the bots are doing and
 * a link to the demo page. Polled, since it is a handful of lines; "Hide" is remembered per browser.
 */
export function DemoBanner() {
  const t = useT();
  const client = useConsoleStore((s) => s.client);
  const [info, setInfo] = useState<DemoInfo | null>(null);
  const [hidden, setHidden] = useState(() => localStorage.getItem(HIDDEN_KEY) === '1');
  useEffect(() => {
    if (!client || hidden) return;
    let live = true;
    const load = () =>
      void client.call('demo:info', {}).then((r) => {
        if (live && r.ok) setInfo(r.value);
      });
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [client, hidden]);
  if (!info || hidden) return null;
  return (
    <section className="card demo-banner" data-testid="demo-banner" aria-label={t('demo.bannerTitle')}>
      <h2>{t('demo.bannerTitle')}</h2>
      <p>{t('demo.bannerBody', { rooms: info.rooms.join(', '), notices: info.webhookNotices })}</p>
      <ul>
        {info.scenes.map((s) => (
          <li key={s.name} data-testid={`demo-scene-${s.name}`} data-state={s.state}>
            <strong>{s.name}</strong> · {t(`state.${s.state === 'running' ? 'up' : s.state === 'restarting' ? 'degraded' : s.state}`)} — {s.detail}
          </li>
        ))}
      </ul>
      <p>
        <a data-testid="demo-page-link" href={info.demoPageUrl} target="_blank" rel="noreferrer">
          {t('demo.openPage')}
        </a>{' '}
        <button
          type="button"
          data-testid="demo-banner-hide"
          onClick={() => {
            localStorage.setItem(HIDDEN_KEY, '1');
            setHidden(true);
          }}
        >
          {t('demo.dismiss')}
        </button>
      </p>
    </section>
  );
}
