import { Icon } from '../../components/Icon';
import { RoomChat } from './RoomChat';
import { useMay } from '../../components/useMay';
import { memo, useEffect, useState } from 'react';
import type { RoomMember } from '../../../shared/ipc/contract';
import { ConfirmDialog } from '../../components/Dialog';
import { formatBitrate, formatDuration } from '../../components/format';
import { TitledTable } from '../../components/TitledTable';
import { useConsoleCall } from '../../components/useConsoleCall';
import { useNow } from '../../components/useNow';
import { useT } from '../../i18n/useT';
import { RecordFlags } from '../../state/recordingsSlice';
import { useOperatorMuted, useRoom, useRoomMembers, useUserDownlink, useUserQuality, useUserRecording } from '../../state/selectors';
import { useConsoleStore } from '../../state/store';
import { BroadcastDialog } from '../Users/BroadcastDialog';
import { KickDialog } from '../Users/KickDialog';
import { MicPanel } from './MicPanel';
import { PreviewTiles } from './PreviewTiles';
import { QualityChart } from '../History/QualityChart';
import { RoomTimeline } from '../History/RoomTimeline';

/** One room: users and roles with network quality and recording, mic seats and queue, live preview. */
export function RoomDetailView({ roomId }: { roomId: number }) {
  const t = useT();
  const mayAct = useMay('rooms:close');
  const room = useRoom(roomId);
  const roomOpened = useConsoleStore((s) => s.roomOpened);
  const [confirmClose, setConfirmClose] = useState(false);
  const [broadcast, setBroadcast] = useState(false);
  const close = useConsoleCall();
  const fetchRoomDetail = useConsoleStore((s) => s.fetchRoomDetail);
  const read = useConsoleStore((s) => (s.roomDetailRead?.key === roomId ? s.roomDetailRead : null));
  useEffect(() => {
    void fetchRoomDetail(roomId);
  }, [fetchRoomDetail, roomId]);
  const loaded = read !== null && !read.loading;
  const loadError = read?.error ? t('common.error', { code: read.error.code, message: read.error.message }) : null;

  const back = (
    <button type="button" onClick={() => roomOpened(null)} data-testid="room-back">
      <Icon name="back" /> {t('room.back')}
    </button>
  );
  if (!room)
    return (
      <section className="stack">
        <div className="toolbar">{back}</div>
        <p className={loadError ? 'error' : 'muted'} role={loadError ? 'alert' : undefined}>
          {loaded ? (loadError ?? t('room.gone')) : t('common.loading')}
        </p>
      </section>
    );

  return (
    <section className="stack" data-testid={`room-detail-${roomId}`}>
      <div className="toolbar">
        {back}
        <h2>
          {t('room.title', { roomId })} {room.name ? `· ${room.name}` : ''}
        </h2>
        <span className="muted">{t('room.userCount', { count: room.userCount })}</span>
        <span className="spacer" />
        {mayAct && (
          <>
            <button type="button" onClick={() => setBroadcast(true)} data-testid="room-broadcast">
              <Icon name="megaphone" /> {t('room.broadcast')}
            </button>
            <button type="button" className="danger" onClick={() => setConfirmClose(true)} data-testid="room-close">
              {t('room.close')}
            </button>
          </>
        )}
      </div>
      {loadError && (
        <p role="alert" className="error">
          {loadError}
        </p>
      )}
      <div className="room-layout">
        <div className="stack">
          <Members roomId={roomId} />
          <PreviewTiles roomId={roomId} />
          <QualityChart roomId={roomId} />
          <RoomTimeline roomId={roomId} />
        </div>
        <div className="stack">
          <MicPanel roomId={roomId} />
          <RoomChat roomId={roomId} />
        </div>
      </div>
      {broadcast && <BroadcastDialog roomId={roomId} onClose={() => setBroadcast(false)} />}
      {confirmClose && (
        <ConfirmDialog
          title={t('room.close')}
          message={t('room.closeConfirm', { roomId })}
          danger
          busy={close.busy}
          error={close.error}
          onCancel={() => setConfirmClose(false)}
          onConfirm={async () => {
            const r = await close.run('rooms:close', { roomId }, t('room.closed', { roomId }));
            if (r) {
              setConfirmClose(false);
              roomOpened(null);
            }
          }}
        />
      )}
    </section>
  );
}

function Members({ roomId }: { roomId: number }) {
  const t = useT();
  const members = useRoomMembers(roomId);
  const [flags, setFlags] = useState<number>(RecordFlags.both);
  return (
    <TitledTable
      id="members-title"
      title={t('room.members')}
      className="card"
      tools={
        <label>
          {t('room.recordFlags')}{' '}
          <select value={flags} onChange={(e) => setFlags(Number(e.target.value))} data-testid="record-flags">
            <option value={RecordFlags.both}>{t('room.flags.both')}</option>
            <option value={RecordFlags.audio}>{t('room.flags.audio')}</option>
            <option value={RecordFlags.video}>{t('room.flags.video')}</option>
          </select>
        </label>
      }
      headers={[t('users.id'), t('users.nickName'), t('users.role'), t('room.quality'), t('room.record'), t('users.actions')]}
    >
      {members.map((m) => (
        <MemberRow key={m.userId} roomId={roomId} member={m} flags={flags} />
      ))}
    </TitledTable>
  );
}

const MemberRow = memo(function MemberRow({ roomId, member, flags }: { roomId: number; member: RoomMember; flags: number }) {
  const t = useT();
  const speaking = useConsoleStore((s) => s.activeSpeakers[roomId] === member.userId);
  const [kick, setKick] = useState(false);
  const mayKick = useMay('users:kick');
  const mayRecord = useMay('recordings:start');
  return (
    <tr data-testid={`room-user-${member.userId}`} className={speaking ? 'speaking' : ''} data-speaking={speaking}>
      <td>{member.userId}</td>
      <td>
        {member.nickName} {speaking && <span className="tag speak">{t('room.speaking')}</span>}
      </td>
      <td>{t(`room.role.${member.role}`)}</td>
      <td>
        <Quality userId={member.userId} />
      </td>
      <td>
        {mayRecord && <RecordControl userId={member.userId} flags={flags} />}
        {mayKick && <MuteControl roomId={roomId} userId={member.userId} name={member.nickName} />}
      </td>
      <td>
        {mayKick && (
          <button
            type="button"
            className="icon danger"
            aria-label={t('users.kick', { name: member.nickName })}
            title={t('users.kick', { name: member.nickName })}
            data-testid={`room-kick-${member.userId}`}
            onClick={() => setKick(true)}
          >
            <Icon name="kick" />
          </button>
        )}
        {kick && <KickDialog userId={member.userId} onClose={() => setKick(false)} />}
      </td>
    </tr>
  );
});

/**
 * Bitrate, loss and RTT summed/maxed over the user's producers from the last `stats:tick`, and the
 * media node's estimate of the user's downlink (transport-cc) when it receives.
 */
function Quality({ userId }: { userId: number }) {
  const t = useT();
  const q = useUserQuality(userId);
  const downlink = useUserDownlink(userId);
  const down =
    downlink === undefined ? null : (
      <span className="downlink" data-testid={`downlink-${userId}`} title={t('room.downlinkHint')}>
        ↓ {formatBitrate(downlink)}
      </span>
    );
  if (q.n === 0) return down ?? <span className="muted">—</span>;
  const level = q.loss > 5 || (q.rtt ?? 0) > 300 ? 'bad' : q.loss > 1 || (q.rtt ?? 0) > 150 ? 'warn' : 'ok';
  return (
    <span className={`quality q-${level}`} data-testid={`quality-${userId}`}>
      {formatBitrate(q.bitrate)} · {q.loss}% · {q.rtt === null ? '—' : `${q.rtt} ms`}
      {down && <> · {down}</>}
    </span>
  );
}

function RecordControl({ userId, flags }: { userId: number; flags: number }) {
  const t = useT();
  const active = useUserRecording(userId);
  const { run, busy } = useConsoleCall();
  if (active) {
    return (
      <span className="toolbar">
        <Elapsed since={active.startedAt} />
        <button type="button" className="danger" disabled={busy} onClick={() => void run('recordings:stop', { userId })} data-testid={`record-stop-${userId}`}>
          <Icon name="stop" /> {t('room.recordStop')}
        </button>
      </span>
    );
  }
  return (
    <button type="button" disabled={busy} onClick={() => void run('recordings:start', { userId, flags })} data-testid={`record-start-${userId}`}>
      <Icon name="record" /> {t('room.record')}
    </button>
  );
}

export function Elapsed({ since }: { since: number }) {
  const t = useT();
  const now = useNow();
  return (
    <span className="recording-elapsed" data-testid="recording-elapsed">
      {t('room.recordingFor', { elapsed: formatDuration((now - since) / 1000) })}
    </span>
  );
}

/**
 * Remote mute of the user's microphone and camera. The server pauses their producers itself and
 * tells the user; the state shown starts from the room's producers and follows each answer.
 */
function MuteControl({ roomId, userId, name }: { roomId: number; userId: number; name: string }) {
  const t = useT();
  const initial = useOperatorMuted(roomId, userId);
  const [muted, setMuted] = useState(initial);
  const { run, busy } = useConsoleCall();
  const toggle = async (kind: 'audio' | 'video') => {
    const next = !muted[kind];
    const label =
      kind === 'audio'
        ? next
          ? t('mute.micDone', { name })
          : t('mute.micUndone', { name })
        : next
          ? t('mute.camDone', { name })
          : t('mute.camUndone', { name });
    if (await run('users:mute', { userId, kind, muted: next }, label)) setMuted((m) => ({ ...m, [kind]: next }));
  };
  return (
    <span className="toolbar">
      <button
        type="button"
        className="icon"
        disabled={busy}
        aria-pressed={muted.audio}
        data-testid={`mute-audio-${userId}`}
        title={muted.audio ? t('mute.micOff', { name }) : t('mute.mic', { name })}
        onClick={() => void toggle('audio')}
      >
        {muted.audio ? t('mute.micOff', { name }) : t('mute.mic', { name })}
      </button>
      <button
        type="button"
        className="icon"
        disabled={busy}
        aria-pressed={muted.video}
        data-testid={`mute-video-${userId}`}
        title={muted.video ? t('mute.camOff', { name }) : t('mute.cam', { name })}
        onClick={() => void toggle('video')}
      >
        {muted.video ? t('mute.camOff', { name }) : t('mute.cam', { name })}
      </button>
    </span>
  );
}
