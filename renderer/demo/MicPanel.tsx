/** The public mic: seats, the queue, this user's position, and the request / release buttons. */
import type { MicState, RoomUser } from '../../shared/client';
import { describePosition, micPosition } from './micView';

export function MicPanel(props: { mic: MicState | null; me: number; users: RoomUser[]; onRequest: () => void; onRelease: () => void }) {
  const { mic, me } = props;
  const nameOf = (id: number) => props.users.find((u) => u.userId === id)?.nickName ?? String(id);
  const pos = micPosition(mic, me);
  return (
    <section className="mic" aria-label="public mic" data-testid="micPanel">
      <h2>Public mic</h2>
      <p data-testid="mic" data-state={pos.state}>
        {describePosition(pos)}
      </p>
      <ol data-testid="mic-seats" className="seats">
        {(mic?.seats ?? []).map((s) => (
          <li key={s.seat} data-testid={`mic-seat-${s.seat}`} data-user-id={s.userId ?? ''} data-locked={String(s.locked)}>
            {s.userId ? `${nameOf(s.userId)} (${s.userId})` : s.locked ? 'locked' : 'empty'}
          </li>
        ))}
      </ol>
      <p>Queue</p>
      <ol data-testid="mic-queue" className="queue">
        {(mic?.queue ?? []).map((id) => (
          <li key={id} data-testid={`mic-queue-${id}`} data-user-id={id}>
            {nameOf(id)} ({id}){id === me ? ' — you' : ''}
          </li>
        ))}
      </ol>
      {pos.state === 'none' ? (
        <button data-testid="micRequest" type="button" onClick={props.onRequest}>
          Request mic
        </button>
      ) : (
        <button data-testid="micRelease" type="button" onClick={props.onRelease}>
          Release mic
        </button>
      )}
    </section>
  );
}
