/** One video/audio element bound to a MediaStream (srcObject cannot be set from JSX). */
import { useEffect, useRef } from 'react';

export function MediaTile(props: { stream: MediaStream; kind: 'audio' | 'video'; label: string; muted?: boolean; testId: string }) {
  const ref = useRef<HTMLVideoElement & HTMLAudioElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.srcObject = props.stream;
    el.play().catch(() => undefined);
  }, [props.stream]);
  if (props.kind === 'audio') return <audio ref={ref} autoPlay data-testid={props.testId} />;
  return (
    <figure className="tile">
      <video ref={ref} autoPlay playsInline muted={props.muted ?? true} data-testid={props.testId} />
      <figcaption>{props.label}</figcaption>
    </figure>
  );
}
