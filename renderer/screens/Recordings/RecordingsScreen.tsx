import { Icon } from '../../components/Icon';
import { memo, useEffect, useState } from 'react';
import type { RecordingEntry, RecordingQuery } from '../../../shared/ipc/contract';
import { ConfirmDialog, Dialog } from '../../components/Dialog';
import { formatBytes, formatDuration, formatTime, fromLocalInput } from '../../components/format';
import { TitledTable } from '../../components/TitledTable';
import { useConsoleCall } from '../../components/useConsoleCall';
import { useT } from '../../i18n/useT';
import { useActiveRecordings, useRecordingPage } from '../../state/selectors';
import { useConsoleStore } from '../../state/store';
import { Elapsed } from '../Rooms/RoomDetailView';

/**
 * Recordings in progress (live, with elapsed time and the size written so far) and the finished files: time-range, user and
 * name filters, pagination, play in the console, download, rename, delete. The page re-queries
 * when a recording finishes (`recordings:changed`), never on a timer.
 */
export function RecordingsScreen() {
  return (
    <section className="stack">
      <ActiveRecordings />
      <RecordingList />
    </section>
  );
}

function ActiveRecordings() {
  const t = useT();
  const active = useActiveRecordings();
  const { run, busy, error } = useConsoleCall();
  const [roomId, setRoomId] = useState('');
  return (
    <section className="card" aria-labelledby="active-rec-title">
      <h3 id="active-rec-title">{t('recordings.active')}</h3>
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          if (/^\d+$/.test(roomId.trim())) void run('recordings:startRoom', { roomId: Number(roomId.trim()) });
        }}
      >
        <label>
          {t('recordings.roomId')}{' '}
          <input inputMode="numeric" className="narrow" value={roomId} onChange={(e) => setRoomId(e.target.value)} data-testid="record-room-id" />
        </label>
        <button type="submit" className="primary" disabled={busy || !/^\d+$/.test(roomId.trim())} data-testid="record-room-start">
          <Icon name="record" /> {t('recordings.recordRoom')}
        </button>
      </form>
      {error && (
        <p role="alert" className="error" data-testid="record-room-error">
          {error}
        </p>
      )}
      {active.length === 0 ? (
        <p className="muted">{t('recordings.noActive')}</p>
      ) : (
        <ul className="plain">
          {active.map((r) => (
            <li
              key={r.recordingId}
              className="toolbar"
              data-testid={r.kind === 'room' ? `recording-active-room-${r.roomId}` : `recording-active-${r.recordingId}`}
            >
              <span className="rec-dot" aria-hidden="true" />
              <strong>{r.kind === 'room' ? t('recordings.roomRecording', { roomId: r.roomId ?? 0 }) : r.fileName || r.recordingId}</strong>
              {r.kind !== 'room' && (
                <span className="muted">
                  {t('users.id')} {r.userId}
                  {r.roomId !== null ? ` · ${t('rooms.id')} ${r.roomId}` : ''}
                </span>
              )}
              <Elapsed since={r.startedAt} />
              {r.bytes !== null && (
                <span className="muted" data-testid={`recording-live-size-${r.recordingId}`}>
                  {formatBytes(r.bytes)}
                </span>
              )}
              {r.kind === 'room' ? (
                <button
                  type="button"
                  className="danger"
                  disabled={busy}
                  onClick={() => void run('recordings:stopRoom', { roomId: r.roomId ?? 0 })}
                  aria-label={t('recordings.stopRoom', { roomId: r.roomId ?? 0 })}
                  data-testid={`record-room-stop-${r.roomId}`}
                >
                  <Icon name="stop" />
                </button>
              ) : (
                <button
                  type="button"
                  className="danger"
                  disabled={busy}
                  onClick={() => void run('recordings:stop', { userId: r.userId })}
                  aria-label={t('recordings.stop', { userId: r.userId })}
                >
                  <Icon name="stop" />
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

interface FilterForm {
  from: string;
  to: string;
  userId: string;
  name: string;
}

function toQuery(f: FilterForm, page: number, pageSize: number): RecordingQuery {
  const q: RecordingQuery = { page, pageSize };
  const from = fromLocalInput(f.from);
  const to = fromLocalInput(f.to);
  if (from !== undefined) q.from = from;
  if (to !== undefined) q.to = to;
  if (/^\d+$/.test(f.userId.trim())) q.userId = Number(f.userId.trim());
  if (f.name.trim()) q.name = f.name.trim();
  return q;
}

type Action = { kind: 'play' | 'rename' | 'delete'; entry: RecordingEntry } | null;

function RecordingList() {
  const t = useT();
  const query = useConsoleStore((s) => s.recordingQuery);
  const page = useRecordingPage();
  const readError = useConsoleStore((s) => s.recordingPageError);
  const [form, setForm] = useState<FilterForm>({ from: '', to: '', userId: '', name: '' });
  const [action, setAction] = useState<Action>(null);
  const error = readError ? t('common.error', { code: readError.code, message: readError.message }) : null;

  const pageSize = query.pageSize ?? 20;
  const pages = page ? Math.max(1, Math.ceil(page.total / page.pageSize)) : 1;
  const current = query.page ?? 1;
  const setPage = (p: number) => useConsoleStore.getState().recordingQueryChanged({ ...query, page: p });

  return (
    <section className="stack">
      <form
        className="toolbar wrap"
        onSubmit={(e) => {
          e.preventDefault();
          useConsoleStore.getState().recordingQueryChanged(toQuery(form, 1, pageSize));
        }}
      >
        <label>
          {t('recordings.from')}{' '}
          <input type="datetime-local" value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} data-testid="recordings-from" />
        </label>
        <label>
          {t('recordings.to')}{' '}
          <input type="datetime-local" value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} data-testid="recordings-to" />
        </label>
        <label>
          {t('recordings.user')}{' '}
          <input
            inputMode="numeric"
            className="narrow"
            value={form.userId}
            onChange={(e) => setForm({ ...form, userId: e.target.value })}
            data-testid="recordings-user"
          />
        </label>
        <label>
          {t('recordings.name')}{' '}
          <input type="search" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} data-testid="recordings-name" />
        </label>
        <button type="submit" className="primary" data-testid="recordings-apply">
          {t('recordings.apply')}
        </button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <TitledTable
        headers={[
          t('recordings.file'),
          t('recordings.user'),
          t('recordings.kind'),
          t('recordings.started'),
          t('recordings.duration'),
          t('recordings.size'),
          t('recordings.state'),
          t('users.actions'),
        ]}
        empty={page !== null && page.items.length === 0}
        emptyText={t('recordings.empty')}
      >
        {page?.items.map((r) => (
          <RecordingRow key={r.fileId ?? r.recordingId} entry={r} onAction={setAction} />
        ))}
      </TitledTable>
      <nav className="toolbar" aria-label="pagination">
        <button type="button" disabled={current <= 1} onClick={() => setPage(current - 1)} data-testid="recordings-prev">
          ← {t('common.previous')}
        </button>
        <span className="muted" data-testid="recordings-page">
          {t('common.pageOf', { page: current, pages, total: page?.total ?? 0 })}
        </span>
        <button type="button" disabled={current >= pages} onClick={() => setPage(current + 1)} data-testid="recordings-next">
          {t('common.next')} →
        </button>
      </nav>
      {action?.kind === 'play' && <PlayDialog entry={action.entry} onClose={() => setAction(null)} />}
      {action?.kind === 'rename' && <RenameDialog entry={action.entry} onClose={() => setAction(null)} />}
      {action?.kind === 'delete' && <DeleteDialog entry={action.entry} onClose={() => setAction(null)} />}
    </section>
  );
}

function kindOf(entry: RecordingEntry, t: ReturnType<typeof useT>): string {
  const kind = t(`recordings.kind.${entry.kind ?? 'single'}`);
  if (entry.kind === 'snapshot') return kind;
  const v = (entry.flags & 0x1) !== 0;
  const a = (entry.flags & 0x2) !== 0;
  return `${kind} · ${v && a ? t('room.flags.both') : v ? t('room.flags.video') : t('room.flags.audio')}`;
}

/** A small preview: the JPEG of a snapshot, the first second of a video recording. */
function Thumbnail({ entry }: { entry: RecordingEntry }) {
  const t = useT();
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    const client = useConsoleStore.getState().client;
    let live = true;
    if (entry.fileId) void client?.call('recordings:url', { fileId: entry.fileId }).then((r) => live && r.ok && setUrl(r.value.url));
    return () => {
      live = false;
    };
  }, [entry.fileId]);
  if (!url) return <span className="thumb" aria-hidden="true" />;
  const label = t('recordings.thumbnail', { name: entry.fileName });
  return entry.kind === 'snapshot' ? (
    <img className="thumb" src={url} alt={label} loading="lazy" />
  ) : (entry.flags & 0x1) !== 0 ? (
    <video className="thumb" src={`${url}#t=1`} preload="metadata" muted aria-label={label} />
  ) : (
    <span className="thumb" aria-hidden="true" />
  );
}

const RecordingRow = memo(function RecordingRow({ entry: r, onAction }: { entry: RecordingEntry; onAction: (a: Action) => void }) {
  const t = useT();
  const language = useConsoleStore((s) => s.language);
  const { run } = useConsoleCall();
  const id = r.fileId ?? r.recordingId;
  const name = r.fileName || id;
  const download = async () => {
    if (!r.fileId) return;
    const u = await run('recordings:url', { fileId: r.fileId, download: true });
    if (!u) return;
    const a = document.createElement('a');
    a.href = u.url;
    a.download = r.fileName;
    document.body.appendChild(a);
    a.click();
    a.remove();
  };
  return (
    <tr data-testid={`recording-row-${id}`}>
      <td>
        <span className="toolbar">
          <Thumbnail entry={r} />
          {name}
        </span>
      </td>
      <td>{r.userId}</td>
      <td data-testid={`recording-kind-${id}`}>{kindOf(r, t)}</td>
      <td>{formatTime(r.startedAt, language)}</td>
      <td data-testid={`recording-duration-${id}`}>
        {r.durationSeconds === null ? r.state === 'recording' ? <Elapsed since={r.startedAt} /> : '—' : formatDuration(r.durationSeconds)}
      </td>
      <td>{formatBytes(r.bytes)}</td>
      <td className={r.state === 'failed' ? 'error' : ''} title={r.error}>
        {t(`recordings.state.${r.state}`)}
      </td>
      <td>
        <span className="row-actions">
          <button
            type="button"
            className="icon"
            disabled={!r.fileId}
            aria-label={t('recordings.play', { name })}
            title={t('recordings.play', { name })}
            data-testid={`recording-play-${id}`}
            onClick={() => onAction({ kind: 'play', entry: r })}
          >
            <Icon name="play" />
          </button>
          <button
            type="button"
            className="icon"
            disabled={!r.fileId}
            aria-label={t('recordings.download', { name })}
            title={t('recordings.download', { name })}
            data-testid={`recording-download-${id}`}
            onClick={() => void download()}
          >
            <Icon name="download" />
          </button>
          <button
            type="button"
            className="icon"
            disabled={!r.fileId}
            aria-label={t('recordings.rename', { name })}
            title={t('recordings.rename', { name })}
            data-testid={`recording-rename-${id}`}
            onClick={() => onAction({ kind: 'rename', entry: r })}
          >
            <Icon name="edit" />
          </button>
          <button
            type="button"
            className="icon danger"
            disabled={!r.fileId}
            aria-label={t('recordings.delete', { name })}
            title={t('recordings.delete', { name })}
            data-testid={`recording-delete-${id}`}
            onClick={() => onAction({ kind: 'delete', entry: r })}
          >
            <Icon name="trash" />
          </button>
        </span>
      </td>
    </tr>
  );
});

function PlayDialog({ entry, onClose }: { entry: RecordingEntry; onClose: () => void }) {
  const t = useT();
  const [url, setUrl] = useState<string | null>(null);
  const { run, error } = useConsoleCall();
  useEffect(() => {
    if (!entry.fileId) return;
    void run('recordings:url', { fileId: entry.fileId }).then((u) => u && setUrl(u.url));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [entry.fileId]);
  return (
    <Dialog title={t('recordings.play', { name: entry.fileName })} onClose={onClose} testId="recording-player">
      <div className="dialog-body">
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        {url ? (
          entry.kind === 'snapshot' ? (
            <img className="player" src={url} alt={entry.fileName} data-testid="recording-image" />
          ) : (
            <video className="player" src={url} controls autoPlay data-testid="recording-video" />
          )
        ) : (
          !error && <p className="muted">{t('common.loading')}</p>
        )}
      </div>
    </Dialog>
  );
}

function RenameDialog({ entry, onClose }: { entry: RecordingEntry; onClose: () => void }) {
  const t = useT();
  const [fileName, setFileName] = useState(entry.fileName);
  const { run, busy, error } = useConsoleCall();
  return (
    <ConfirmDialog
      title={t('recordings.rename', { name: entry.fileName })}
      busy={busy}
      error={error}
      onCancel={onClose}
      onConfirm={async () => {
        if (!entry.fileId || !fileName.trim()) return;
        const r = await run('recordings:rename', { fileId: entry.fileId, fileName: fileName.trim() });
        if (r) {
          useConsoleStore.getState().recordingRenamed(r);
          onClose();
        }
      }}
    >
      <label className="field">
        {t('recordings.newName')}
        <input value={fileName} onChange={(e) => setFileName(e.target.value)} required maxLength={200} data-testid="recording-new-name" />
      </label>
    </ConfirmDialog>
  );
}

function DeleteDialog({ entry, onClose }: { entry: RecordingEntry; onClose: () => void }) {
  const t = useT();
  const { run, busy, error } = useConsoleCall();
  return (
    <ConfirmDialog
      title={t('recordings.delete', { name: entry.fileName })}
      message={t('recordings.deleteConfirm', { name: entry.fileName })}
      danger
      busy={busy}
      error={error}
      onCancel={onClose}
      onConfirm={async () => {
        if (!entry.fileId) return;
        if (await run('recordings:delete', { fileId: entry.fileId })) {
          useConsoleStore.getState().recordingDeleted(entry.fileId);
          onClose();
        }
      }}
    />
  );
}
