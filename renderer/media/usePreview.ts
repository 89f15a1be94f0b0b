import { useEffect, useRef, useState } from 'react';
import { useT } from '../i18n/useT';
import { useConsoleStore } from '../state/store';
import { RoomPreview, type PreviewTrack } from './RoomPreview';

export type PreviewState = { phase: 'connecting' | 'live'; tracks: PreviewTrack[] } | { phase: 'error'; message: string; tracks: PreviewTrack[] };

/**
 * Opens a live preview for the room while mounted: consumes the producers the store knows for
 * the room (from `rooms:detail`), follows `preview:producers`, and closes on unmount.
 */
export function usePreview(roomId: number): PreviewState {
  const t = useT();
  const [state, setState] = useState<PreviewState>({ phase: 'connecting', tracks: [] });
  const previewRef = useRef<RoomPreview | null>(null);
  // The room's producers as the store knows them (rooms:detail, then preview:producers).
  const producers = useConsoleStore((s) => s.producers.get(roomId));
  useEffect(() => {
    if (producers) void previewRef.current?.setProducers(producers);
  }, [producers]);

  useEffect(() => {
    const { client } = useConsoleStore.getState();
    if (!client) return;
    let preview: RoomPreview | null = null;
    let cancelled = false;
    const publish = () => preview && !cancelled && setState({ phase: 'live', tracks: [...preview.tracks.values()] });
    RoomPreview.create({
      client,
      roomId,
      createDevice: async () => {
        const { Device } = await import('mediasoup-client');
        return new Device();
      },
      onChange: publish,
      onProducers: (producers) =>
        useConsoleStore.getState().roomProducersChanged(
          roomId,
          producers.map((p) => ({ ...p, paused: false })),
        ),
    })
      .then(async (p) => {
        if (cancelled) return void (await p.close());
        preview = p;
        previewRef.current = p;
        publish();
        // Producers known so far; later changes arrive through the store (effect above).
        const known = useConsoleStore.getState().producers.get(roomId) ?? [];
        await p.setProducers(known);
      })
      .catch((err: Error & { code?: number }) => {
        if (!cancelled) setState({ phase: 'error', message: err.code ? t('common.error', { code: err.code, message: err.message }) : err.message, tracks: [] });
      });
    return () => {
      cancelled = true;
      previewRef.current = null;
      void preview?.close();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [roomId]);

  return state;
}
