/** A room's timeline — created, joins, leaves, publishes, seat changes, kicks — newest first, refreshed every 2 s. */
import { useEffect, useState } from 'react';
import type { RoomEvent } from '../../../shared/ipc/observability';
import { formatTime } from '../../components/format';
import { useT } from '../../i18n/useT';
import { useConsoleStore } from '../../state/store';
import './history.css';

export function RoomTimeline({ roomId }: { roomId: number }) {
  const t = useT();
  const language = useConsoleStore((s) => s.language);
  const [events, setEvents] = useState<RoomEvent[] | null>(null);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const read = async () => {
      const client = useConsoleStore.getState().client;
      if (!client || stopped) return;
      const r = await client.call('history:timeline', { roomId, limit: 200 });
      if (stopped) return;
      if (r.ok) setEvents(r.value);
      timer = setTimeout(() => void read(), 2000);
    };
    void read();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [roomId]);
  return (
    <section className="card" data-testid={`room-timeline-${roomId}`}>
      <h4>{t('timeline.title')}</h4>
      {events && events.length === 0 && <p className="muted">{t('timeline.empty')}</p>}
      <ul className="timeline">
        {events?.map((e) => (
          <li key={e.id} data-testid="timeline-event" data-kind={e.kind} data-user={e.userId}>
            <time>{formatTime(e.at, language)}</time>
            <span>
              {e.userId ? `${e.userId} ` : ''}
              {t(`timeline.${e.kind}`)}
            </span>
            {e.detail && <span className="muted">{e.detail}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
