/** Video calls (seed §6): call a user by id, answer an incoming call, hang up. */
import { useState } from 'react';

export type CallView =
  { state: 'idle' } | { state: 'calling'; peer: number } | { state: 'ringing'; peer: number } | { state: 'active'; peer: number; roomId: number };

export function CallPanel(props: {
  call: CallView;
  nameOf: (id: number) => string;
  onCall: (userId: number) => void;
  onAnswer: (accept: boolean) => void;
  onHangUp: () => void;
}) {
  const [target, setTarget] = useState('');
  const { call } = props;
  return (
    <section className="call" aria-label="video call" data-testid="callPanel">
      <h2>Video call</h2>
      <p data-testid="callState" data-state={call.state} data-room-id={call.state === 'active' ? call.roomId : ''}>
        {call.state === 'idle' && 'no call'}
        {call.state === 'calling' && `calling ${props.nameOf(call.peer)}…`}
        {call.state === 'ringing' && `incoming call from ${props.nameOf(call.peer)}`}
        {call.state === 'active' && `in a call with ${props.nameOf(call.peer)} (room ${call.roomId})`}
      </p>
      {call.state === 'idle' && (
        <form
          aria-label="call a user"
          onSubmit={(e) => {
            e.preventDefault();
            const id = Number(target);
            if (Number.isInteger(id) && id > 0) props.onCall(id);
          }}
        >
          <input data-testid="callUser" value={target} onChange={(e) => setTarget(e.target.value)} placeholder="user id" inputMode="numeric" required />
          <button data-testid="callStart" type="submit">
            Call
          </button>
        </form>
      )}
      {call.state === 'ringing' && (
        <div data-testid="callIncoming">
          <button data-testid="callAccept" type="button" onClick={() => props.onAnswer(true)}>
            Accept
          </button>
          <button data-testid="callReject" type="button" onClick={() => props.onAnswer(false)}>
            Reject
          </button>
        </div>
      )}
      {(call.state === 'calling' || call.state === 'active') && (
        <button data-testid="callHangup" type="button" onClick={props.onHangUp}>
          Hang up
        </button>
      )}
    </section>
  );
}
