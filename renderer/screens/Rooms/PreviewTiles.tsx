import { Icon } from '../../components/Icon';
import { memo, useEffect, useRef } from 'react';
import { usePreview } from '../../media/usePreview';
import type { PreviewTrack } from '../../media/RoomPreview';
import { useT } from '../../i18n/useT';
import { useNickName } from '../../state/selectors';
import { useConsoleStore } from '../../state/store';

/** Live video/audio tiles of the room's producers, consumed by the console (renderer/media/). */
export function PreviewTiles({ roomId }: { roomId: number }) {
  const t = useT();
  const preview = usePreview(roomId);
  const videos = preview.tracks.filter((p) => p.kind === 'video');
  const audios = preview.tracks.filter((p) => p.kind === 'audio');
  return (
    <section className="card" aria-labelledby="preview-title">
      <h3 id="preview-title">{t('room.preview')}</h3>
      {preview.phase === 'connecting' && <p className="muted">{t('room.previewConnecting')}</p>}
      {preview.phase === 'error' && (
        <p className="muted" data-testid="preview-error">
          {t('room.previewError', { message: preview.message })}
        </p>
      )}
      {preview.phase === 'live' && preview.tracks.length === 0 && <p className="muted">{t('room.previewOff')}</p>}
      <div className="tiles">
        {videos.map((p) => (
          <Tile key={p.producerId} roomId={roomId} track={p} />
        ))}
        {audios.map((p) => (
          <Tile key={p.producerId} roomId={roomId} track={p} />
        ))}
      </div>
    </section>
  );
}

const Tile = memo(function Tile({ roomId, track }: { roomId: number; track: PreviewTrack }) {
  const ref = useRef<HTMLVideoElement & HTMLAudioElement>(null);
  const name = useNickName(track.userId);
  const speaking = useConsoleStore((s) => s.activeSpeakers[roomId] === track.userId);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.srcObject = new MediaStream([track.track]);
    void el.play().catch(() => undefined);
    return () => {
      el.srcObject = null;
    };
  }, [track.track]);
  return (
    <figure className={`tile${speaking ? ' speaking' : ''}`} data-speaking={speaking}>
      {track.kind === 'video' ? (
        <video ref={ref} data-testid={`preview-tile-${track.producerId}`} autoPlay playsInline muted aria-label={name} />
      ) : (
        <div className="audio-tile">
          <Icon name="mic" size={40} />
          <audio ref={ref} data-testid={`preview-tile-${track.producerId}`} autoPlay aria-label={name} />
        </div>
      )}
      <figcaption>
        {name} · {track.kind}
      </figcaption>
    </figure>
  );
});
