import { Icon } from '../../components/Icon';
import { memo, useState, type DragEvent } from 'react';
import type { MicStateView } from '../../../shared/ipc/contract';
import { ConfirmDialog } from '../../components/Dialog';
import { useConsoleCall } from '../../components/useConsoleCall';
import { useMay } from '../../components/useMay';
import { useT } from '../../i18n/useT';
import { moveInQueue } from '../../state/micsSlice';
import { useMic, useNickName } from '../../state/selectors';
import { useConsoleStore } from '../../state/store';

/** Mic seats (force off, lock, seat count) and the queue (drag or arrow buttons to reorder, remove). */
export function MicPanel({ roomId }: { roomId: number }) {
  const t = useT();
  const mic = useMic(roomId);
  const { run, busy } = useConsoleCall();
  const may = useMay('mic:lockSeat');
  const [asking, setAsking] = useState<Ask | null>(null);
  if (!mic) return null;
  return (
    <section className="card stack" aria-labelledby="mic-title" data-readonly={!may}>
      <h3 id="mic-title">{t('mic.title')}</h3>
      <Seats mic={mic} run={run} busy={busy || !may} ask={setAsking} />
      {may && <SeatCount key={mic.seats.length} roomId={roomId} current={mic.seats.length} run={run} busy={busy} />}
      <h4>{t('mic.queue')}</h4>
      <Queue mic={mic} run={run} busy={busy || !may} />
      {asking && <SeatConfirm roomId={roomId} ask={asking} onClose={() => setAsking(null)} />}
    </section>
  );
}

type Run = ReturnType<typeof useConsoleCall>['run'];

/** Actions that take someone off the air ask first: taking a user off a seat, locking an occupied seat. */
type Ask = { kind: 'forceOff'; userId: number; name: string; label: number } | { kind: 'lock'; seat: number; userId: number; name: string; label: number };

function SeatConfirm({ roomId, ask, onClose }: { roomId: number; ask: Ask; onClose: () => void }) {
  const t = useT();
  const { run, busy, error } = useConsoleCall();
  const title = ask.kind === 'forceOff' ? t('mic.forceOff', { name: ask.name }) : t('mic.lock', { n: ask.label });
  const message = ask.kind === 'forceOff' ? t('mic.forceOffConfirm', { name: ask.name, n: ask.label }) : t('mic.lockConfirm', { name: ask.name, n: ask.label });
  return (
    <ConfirmDialog
      title={title}
      message={message}
      danger
      busy={busy}
      error={error}
      onCancel={onClose}
      onConfirm={async () => {
        const r =
          ask.kind === 'forceOff'
            ? await run('mic:forceOff', { roomId, userId: ask.userId })
            : await run('mic:lockSeat', { roomId, seat: ask.seat, locked: true });
        if (r) onClose();
      }}
    />
  );
}

function Seats({ mic, run, busy, ask }: { mic: MicStateView; run: Run; busy: boolean; ask: (a: Ask) => void }) {
  return (
    <ol className="seats">
      {mic.seats.map((seat, index) => (
        <Seat key={seat.seat} roomId={mic.roomId} seat={seat} label={index + 1} run={run} busy={busy} ask={ask} />
      ))}
    </ol>
  );
}

/** `label` is the 1-based position shown to operators; `seat.seat` is the server's seat number, used in calls and test ids. */
const Seat = memo(function Seat({
  roomId,
  seat,
  label,
  run,
  busy,
  ask,
}: {
  roomId: number;
  seat: MicStateView['seats'][number];
  label: number;
  run: Run;
  busy: boolean;
  ask: (a: Ask) => void;
}) {
  const t = useT();
  const name = useNickName(seat.userId);
  const speaking = useConsoleStore((s) => seat.userId !== null && s.activeSpeakers[roomId] === seat.userId);
  return (
    <li
      className={`seat${seat.locked ? ' locked' : ''}${speaking ? ' speaking' : ''}`}
      data-testid={`mic-seat-${seat.seat}`}
      data-user-id={seat.userId ?? ''}
      data-locked={seat.locked}
    >
      <span className="seat-no">{t('mic.seat', { n: label })}</span>
      <span className="seat-user">{seat.userId === null ? <span className="muted">{seat.locked ? t('mic.locked') : t('mic.empty')}</span> : name}</span>
      {seat.userId !== null && (
        <button
          type="button"
          className="icon"
          disabled={busy}
          aria-label={t('mic.forceOff', { name })}
          title={t('mic.forceOff', { name })}
          data-testid={`mic-force-off-${seat.seat}`}
          onClick={() => ask({ kind: 'forceOff', userId: seat.userId!, name, label })}
        >
          <Icon name="eject" />
        </button>
      )}
      <button
        type="button"
        className="icon"
        disabled={busy}
        aria-pressed={seat.locked}
        aria-label={seat.locked ? t('mic.unlock', { n: label }) : t('mic.lock', { n: label })}
        title={seat.locked ? t('mic.unlock', { n: label }) : t('mic.lock', { n: label })}
        data-testid={`mic-lock-${seat.seat}`}
        onClick={() =>
          !seat.locked && seat.userId !== null
            ? ask({ kind: 'lock', seat: seat.seat, userId: seat.userId, name, label })
            : void run('mic:lockSeat', { roomId, seat: seat.seat, locked: !seat.locked })
        }
      >
        <Icon name={seat.locked ? 'lock' : 'unlock'} />
      </button>
    </li>
  );
});

function SeatCount({ roomId, current, run, busy }: { roomId: number; current: number; run: Run; busy: boolean }) {
  const t = useT();
  const [count, setCount] = useState(current);
  return (
    <form
      className="toolbar"
      onSubmit={(e) => {
        e.preventDefault();
        void run('mic:setSeatCount', { roomId, count });
      }}
    >
      <label>
        {t('mic.seatCount')}{' '}
        <input
          type="number"
          min={0}
          max={64}
          value={count}
          onChange={(e) => setCount(Number(e.target.value))}
          data-testid="mic-seat-count"
          className="narrow"
        />
      </label>
      <button type="submit" disabled={busy || count === current} data-testid="mic-seat-count-apply">
        {t('mic.apply')}
      </button>
    </form>
  );
}

function Queue({ mic, run, busy }: { mic: MicStateView; run: Run; busy: boolean }) {
  const t = useT();
  const [dragFrom, setDragFrom] = useState<number | null>(null);
  const [dropAt, setDropAt] = useState<number | null>(null);
  const reorder = (from: number, to: number) => {
    if (from === to) return;
    void run('mic:reorder', { roomId: mic.roomId, queue: moveInQueue(mic.queue, from, to) });
  };
  if (mic.queue.length === 0) return <p className="muted">{t('mic.queueEmpty')}</p>;
  const onDrop = (e: DragEvent, index: number) => {
    e.preventDefault();
    const from = dragFrom ?? Number(e.dataTransfer.getData('text/plain'));
    setDragFrom(null);
    setDropAt(null);
    if (Number.isInteger(from)) reorder(from, index);
  };
  return (
    <>
      <p className="muted small">{t('mic.dragHint')}</p>
      <ol className="queue" data-testid="mic-queue">
        {mic.queue.map((userId, index) => (
          <QueueItem
            key={userId}
            userId={userId}
            index={index}
            last={index === mic.queue.length - 1}
            busy={busy}
            dropTarget={dropAt === index && dragFrom !== index}
            onDragStart={(e) => {
              setDragFrom(index);
              e.dataTransfer.effectAllowed = 'move';
              e.dataTransfer.setData('text/plain', String(index));
            }}
            onDragOver={(e) => {
              e.preventDefault();
              e.dataTransfer.dropEffect = 'move';
              setDropAt(index);
            }}
            onDragEnd={() => {
              setDragFrom(null);
              setDropAt(null);
            }}
            onDrop={(e) => onDrop(e, index)}
            onMove={(to) => reorder(index, to)}
            onRemove={() => void run('mic:removeFromQueue', { roomId: mic.roomId, userId })}
          />
        ))}
      </ol>
    </>
  );
}

function QueueItem(props: {
  userId: number;
  index: number;
  last: boolean;
  busy: boolean;
  dropTarget: boolean;
  onDragStart: (e: DragEvent) => void;
  onDragOver: (e: DragEvent) => void;
  onDragEnd: () => void;
  onDrop: (e: DragEvent) => void;
  onMove: (to: number) => void;
  onRemove: () => void;
}) {
  const t = useT();
  const name = useNickName(props.userId);
  return (
    <li
      draggable
      className={`queue-item${props.dropTarget ? ' drop-target' : ''}`}
      data-testid={`mic-queue-item-${props.userId}`}
      data-index={props.index}
      onDragStart={props.onDragStart}
      onDragOver={props.onDragOver}
      onDragEnd={props.onDragEnd}
      onDrop={props.onDrop}
    >
      <span className="grip" aria-hidden="true">
        <Icon name="grip" />
      </span>
      <span className="queue-pos">{props.index + 1}.</span>
      <span className="queue-name">{name}</span>
      <button
        type="button"
        className="icon"
        disabled={props.busy || props.index === 0}
        aria-label={t('mic.up', { name })}
        title={t('mic.up', { name })}
        data-testid={`mic-up-${props.userId}`}
        onClick={() => props.onMove(props.index - 1)}
      >
        <Icon name="up" />
      </button>
      <button
        type="button"
        className="icon"
        disabled={props.busy || props.last}
        aria-label={t('mic.down', { name })}
        title={t('mic.down', { name })}
        data-testid={`mic-down-${props.userId}`}
        onClick={() => props.onMove(props.index + 1)}
      >
        <Icon name="down" />
      </button>
      <button
        type="button"
        className="icon"
        disabled={props.busy}
        aria-label={t('mic.remove', { name })}
        title={t('mic.remove', { name })}
        data-testid={`mic-remove-${props.userId}`}
        onClick={props.onRemove}
      >
        <Icon name="close" />
      </button>
    </li>
  );
}
