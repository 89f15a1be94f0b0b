import { useEffect, useRef, useState } from 'react';
import type { ChatLine } from '../../../shared/ipc/contract';
import { formatShortTime } from '../../components/format';
import { useT } from '../../i18n/useT';
import { useConsoleStore } from '../../state/store';

const MAX_LINES = 500;

/**
 * The room's public chat, live: history from the chat log (when the room keeps one), then every
 * new line as it is sent (`rooms:chat`). Whispers are not shown.
 */
export function RoomChat({ roomId }: { roomId: number }) {
  const t = useT();
  const client = useConsoleStore((s) => s.client);
  const language = useConsoleStore((s) => s.language);
  const [lines, setLines] = useState<ChatLine[]>([]);
  const [logged, setLogged] = useState<boolean | null>(null);
  const list = useRef<HTMLOListElement>(null);

  useEffect(() => {
    if (!client) return;
    let live: ChatLine[] = [];
    let loaded = false;
    // Subscribe first, then read the history, so no line falls between the two.
    const off = client.on('rooms:chat', (line) => {
      if (line.roomId !== roomId) return;
      if (!loaded) live.push(line);
      else setLines((prev) => [...prev, line].slice(-MAX_LINES));
    });
    void client.call('rooms:chat', { roomId, limit: 100 }).then((r) => {
      loaded = true;
      const history = r.ok ? [...r.value.lines].reverse() : [];
      setLogged(r.ok ? r.value.logged : false);
      setLines([...history, ...live].slice(-MAX_LINES));
      live = [];
    });
    return off;
  }, [client, roomId]);

  useEffect(() => {
    const el = list.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [lines]);

  return (
    <section className="card" aria-labelledby="chat-title" data-testid={`room-chat-${roomId}`}>
      <h3 id="chat-title">{t('chat.title')}</h3>
      {logged === false && <p className="muted small">{t('chat.notLogged')}</p>}
      {lines.length === 0 ? (
        <p className="muted" data-testid="chat-empty">
          {t('chat.empty')}
        </p>
      ) : (
        <ol className="chat-lines plain" ref={list} aria-live="polite">
          {lines.map((l, i) => (
            <li key={l.id ?? `live-${i}-${l.at}`} data-testid="chat-line" data-user-id={l.srcUserId}>
              <span className="muted small">{formatShortTime(l.at, language)}</span>{' '}
              <strong title={t('users.idHover', { id: l.srcUserId })}>
                {l.srcUserId === 0 ? t('chat.server') : l.srcName || t('audit.userN', { id: l.srcUserId })}
              </strong>
              : {l.text}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
