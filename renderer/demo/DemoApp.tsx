/**
 * The demo client page: sign in, enter a room (as interactive or audience), chat (to everyone, to
 * one, or whisper), see users, take the public mic (publishing follows the seat, everyone
 * consumes the seated users — seed §8.3), and make video calls (seed §6).
 * Test ids: TESTIDS.md. Debug hook for tests: `window.__demo` (read-only).
 */
import { useEffect, useRef, useState } from 'react';
import { AnyChatClient, ClientError, VideoCallEvent, type MicState, type RoomRole, type RoomUser, type SocketLike } from '../../shared/client';
import { CallPanel, type CallView } from './CallPanel';
import { DemoMedia, type MediaMode, type RemoteTrack } from './DemoMedia';
import { MediaTile } from './MediaTile';
import { MicPanel } from './MicPanel';

interface ChatLine {
  key: number;
  from: string;
  to: string;
  secret: boolean;
  text: string;
}

function wsUrl(): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${location.host}/ws`;
}

function describe(err: unknown): string {
  return err instanceof ClientError ? `error ${err.code}: ${err.message}` : String(err);
}

/** The demo install's lobby (shared/docs/protocol.md §4), where bots publish. */
const DEMO_LOBBY = 'demo-lobby';

let lineKey = 0;

export function DemoApp() {
  const clientRef = useRef<AnyChatClient | null>(null);
  const [me, setMe] = useState<{ userId: number; nickName: string } | null>(null);
  const [roomId, setRoomId] = useState<number | null>(null);
  const roomIdRef = useRef<number | null>(null);
  const [users, setUsers] = useState<RoomUser[]>([]);
  const [lines, setLines] = useState<ChatLine[]>([]);
  const [status, setStatus] = useState('signed out');
  const [userName, setUserName] = useState('');
  const [password, setPassword] = useState('');
  const [room, setRoom] = useState('1');
  const [role, setRole] = useState<RoomRole>('interactive');
  const [text, setText] = useState('');
  const [target, setTarget] = useState(-1);
  const [secret, setSecret] = useState(false);

  const mediaRef = useRef<DemoMedia | null>(null);
  const [remote, setRemote] = useState<RemoteTrack[]>([]);
  const [local, setLocal] = useState<MediaStream | null>(null);
  const [mic, setMic] = useState<MicState | null>(null);
  const [micMuted, setMicMuted] = useState(false);
  // What an operator muted (the server pauses it; `mediaMuted` tells us).
  const [operatorMuted, setOperatorMuted] = useState<{ audio: boolean; video: boolean }>({ audio: false, video: false });
  const [mode, setMode] = useState<MediaMode>('room');
  const [call, setCall] = useState<CallView>({ state: 'idle' });
  const callRef = useRef<CallView>(call);
  callRef.current = call;
  const callLog = useRef<{ eventType: number; userId: number; errorCode: number; param: number }[]>([]);
  const usersRef = useRef<RoomUser[]>([]);
  usersRef.current = users;

  useEffect(() => () => clientRef.current?.close(), []);

  // Read-only debug hook for tests: what this page receives and publishes.
  useEffect(() => {
    const w = window as unknown as { __demo?: unknown };
    w.__demo = {
      stats: () => mediaRef.current?.stats() ?? Promise.resolve({}),
      audioStats: () => mediaRef.current?.audioStats() ?? Promise.resolve({}),
      state: () => ({
        userId: clientRef.current?.userId ?? 0,
        call: callRef.current,
        callEvents: [...callLog.current],
        ...(mediaRef.current?.snapshot() ?? {
          roomId: 0,
          mode: 'room',
          publishing: [],
          micMuted: false,
          seated: [],
          queue: [],
          consuming: [],
          errors: [],
          producerClosed: [],
        }),
      }),
    };
    return () => {
      delete w.__demo;
    };
  }, []);

  function stopMedia() {
    mediaRef.current?.close();
    mediaRef.current = null;
    setRemote([]);
    setLocal(null);
    setMic(null);
    setMicMuted(false);
  }

  function leftRoom() {
    stopMedia();
    roomIdRef.current = null;
    setRoomId(null);
    setUsers([]);
  }

  async function toggleCamera() {
    const m = mediaRef.current;
    if (!m) return;
    await (m.publishing ? m.unpublish() : m.publish());
  }

  async function toggleMicMute() {
    const m = mediaRef.current;
    if (!m) return;
    await m.setMicMuted(!m.micMuted);
  }

  async function micCall(method: 'micRequest' | 'micRelease') {
    try {
      await clientRef.current!.request(method, {});
    } catch (err) {
      setStatus(`${method}: ${describe(err)}`);
    }
  }

  async function switchRole() {
    const c = clientRef.current;
    const mine = users.find((u) => u.userId === c?.userId)?.role ?? 'interactive';
    try {
      const r = await c!.request('setRole', { role: mine === 'interactive' ? 'audience' : 'interactive' });
      setUsers((prev) => prev.map((u) => (u.userId === c!.userId ? { ...u, role: r.role } : u)));
    } catch (err) {
      setStatus(`setRole: ${describe(err)}`);
    }
  }

  const nameOf = (id: number, list: RoomUser[] = usersRef.current) => list.find((u) => u.userId === id)?.nickName ?? String(id);
  const addLine = (l: Omit<ChatLine, 'key'>) => setLines((prev) => [...prev.slice(-199), { ...l, key: ++lineKey }]);

  /** Enters a room with its media set up first (so nothing pushed on entry is missed). */
  async function enterWith(c: AnyChatClient, where: { roomId?: number; roomName?: string }, asRole: RoomRole, mediaMode: MediaMode): Promise<void> {
    stopMedia();
    const m = new DemoMedia(
      c,
      mediaMode,
      (v) => {
        setRemote(v.remote);
        setLocal(v.local);
        setMic(v.mic);
        setMicMuted(v.micMuted);
      },
      (msg) => setStatus(`media: ${msg}`),
    );
    mediaRef.current = m;
    try {
      const r = await c.enterRoom({ ...where, role: asRole });
      roomIdRef.current = r.roomId;
      setRoomId(r.roomId);
      setUsers(r.users);
      setMode(mediaMode);
      setLines([]);
      setStatus(`in room ${r.roomId}`);
      void m.start(r.roomId, r.users);
    } catch (err) {
      if (mediaRef.current === m) stopMedia();
      setStatus(`enter failed: ${describe(err)}`);
    }
  }

  function onCallEvent(c: AnyChatClient, ev: { eventType: number; userId: number; errorCode: number; param: number }) {
    callLog.current.push({ eventType: ev.eventType, userId: ev.userId, errorCode: ev.errorCode, param: ev.param });
    switch (ev.eventType) {
      case VideoCallEvent.REQUEST:
        setCall({ state: 'ringing', peer: ev.userId });
        break;
      case VideoCallEvent.REPLY:
        if (ev.errorCode !== 0) {
          setCall({ state: 'idle' });
          setStatus(`call refused by ${nameOf(ev.userId)} (${ev.errorCode})`);
        }
        break;
      case VideoCallEvent.START:
        setCall({ state: 'active', peer: ev.userId, roomId: ev.param });
        void enterWith(c, { roomId: ev.param }, 'interactive', 'call');
        break;
      case VideoCallEvent.FINISH: {
        const cur = callRef.current;
        setCall({ state: 'idle' });
        // The server takes both parties out of the call room; stop our side at once.
        if (cur.state === 'active' && roomIdRef.current === cur.roomId) leftRoom();
        setStatus(`call finished (${ev.errorCode})`);
        break;
      }
    }
  }

  async function callAction(fn: (c: AnyChatClient) => Promise<unknown>, what: string) {
    const c = clientRef.current;
    if (!c) return;
    try {
      await fn(c);
    } catch (err) {
      setStatus(`${what}: ${describe(err)}`);
      if (what === 'call') setCall({ state: 'idle' });
    }
  }

  async function signIn(e: React.FormEvent) {
    e.preventDefault();
    await connectAs(userName, password);
  }

  /** One click on a demo install: sign in as a guest and enter demo-lobby, where the bots publish. */
  async function joinDemoLobby() {
    const c = await connectAs(`guest-${Math.floor(1000 + Math.random() * 9000)}`, '');
    if (c) await enterWith(c, { roomName: DEMO_LOBBY }, 'interactive', 'room');
  }

  async function connectAs(name: string, pw: string): Promise<AnyChatClient | null> {
    setStatus('connecting…');
    try {
      const c = await AnyChatClient.connect(wsUrl(), (u) => new WebSocket(u) as unknown as SocketLike);
      clientRef.current = c;
      c.on('userEntered', (u) =>
        setUsers((prev) => [
          ...prev.filter((x) => x.userId !== u.userId),
          { userId: u.userId, nickName: u.nickName ?? String(u.userId), role: u.role ?? 'interactive' },
        ]),
      );
      c.on('userLeft', (u) => {
        if (u.userId === c.userId) {
          if (u.roomId === roomIdRef.current) leftRoom();
        } else setUsers((prev) => prev.filter((x) => x.userId !== u.userId));
      });
      c.on('userRoleChanged', (r) => setUsers((prev) => prev.map((u) => (u.userId === r.userId ? { ...u, role: r.role } : u))));
      c.on('roomClosed', (r) => setStatus(`room ${r.roomId} closed by the server (${r.reason})`));
      c.on('textMessage', (m) =>
        addLine({ from: nameOf(m.srcUserId), to: m.targetUserId === -1 ? 'everyone' : nameOf(m.targetUserId), secret: m.secret, text: m.text }),
      );
      c.on('videoCallEvent', (ev) => onCallEvent(c, ev));
      c.on('mediaMuted', (m) => setOperatorMuted((prev) => ({ ...prev, [m.kind]: m.muted })));
      c.on('kicked', (k) => setStatus(`kicked by the server (${k.errorCode})${k.reason ? `: ${k.reason}` : ''}`));
      c.on('close', (ev) => {
        leftRoom();
        setMe(null);
        setCall({ state: 'idle' });
        setStatus((s) => (s.startsWith('kicked') ? s : `disconnected (${ev.code})`));
      });
      const r = await c.login(name, pw);
      setMe({ userId: r.userId, nickName: r.nickName });
      setStatus(`signed in as ${r.nickName} (${r.userId})`);
      return c;
    } catch (err) {
      clientRef.current?.close();
      clientRef.current = null;
      setStatus(`sign-in failed: ${describe(err)}`);
      return null;
    }
  }

  async function enter(e: React.FormEvent) {
    e.preventDefault();
    const c = clientRef.current;
    if (!c) return;
    const asId = Number(room);
    await enterWith(c, Number.isInteger(asId) && asId > 0 ? { roomId: asId } : { roomName: room }, role, 'room');
  }

  async function leave() {
    const c = clientRef.current;
    leftRoom();
    try {
      await c?.leaveRoom();
    } catch (err) {
      setStatus(describe(err));
    }
  }

  async function send(e: React.FormEvent) {
    e.preventDefault();
    const c = clientRef.current;
    if (!c || !me || text === '') return;
    try {
      await c.sendTextMessage(target, text, target !== -1 && secret);
      addLine({ from: me.nickName, to: target === -1 ? 'everyone' : nameOf(target), secret: target !== -1 && secret, text });
      setText('');
    } catch (err) {
      setStatus(`send failed: ${describe(err)}`);
    }
  }

  function signOut() {
    clientRef.current?.close();
    clientRef.current = null;
  }

  const myRole = users.find((u) => u.userId === me?.userId)?.role ?? 'interactive';

  return (
    <main className="demo">
      <h1>AnyChat demo client</h1>
      <p data-testid="status" role="status">
        {status}
      </p>
      {(operatorMuted.audio || operatorMuted.video) && (
        <p data-testid="operatorMuted" role="alert" data-audio={operatorMuted.audio} data-video={operatorMuted.video}>
          {operatorMuted.audio && operatorMuted.video
            ? 'An operator muted your microphone and stopped your camera.'
            : operatorMuted.audio
              ? 'An operator muted your microphone.'
              : 'An operator stopped your camera.'}
        </p>
      )}
      {!me && (
        <form onSubmit={signIn} aria-label="sign in">
          <label>
            User name <input data-testid="userName" value={userName} onChange={(e) => setUserName(e.target.value)} required />
          </label>
          <label>
            Password <input data-testid="password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} placeholder="empty = guest" />
          </label>
          <button data-testid="signIn" type="submit">
            Sign in
          </button>
          <button data-testid="joinDemoLobby" type="button" onClick={() => void joinDemoLobby()}>
            Join {DEMO_LOBBY} as a guest
          </button>
        </form>
      )}
      {me && (
        <CallPanel
          call={call}
          nameOf={(id) => nameOf(id)}
          onCall={(id) => {
            setCall({ state: 'calling', peer: id });
            void callAction((c) => c.callRequest(id), 'call');
          }}
          onAnswer={(accept) => {
            const cur = callRef.current;
            if (cur.state !== 'ringing') return;
            if (!accept) setCall({ state: 'idle' });
            void callAction((c) => c.callReply(cur.peer, accept), 'answer');
          }}
          onHangUp={() => {
            const cur = callRef.current;
            if (cur.state === 'idle') return;
            void callAction((c) => c.callFinish(cur.peer), 'hang up');
          }}
        />
      )}
      {me && roomId === null && (
        <form onSubmit={enter} aria-label="enter room">
          <label>
            Room id or name <input data-testid="room" value={room} onChange={(e) => setRoom(e.target.value)} required />
          </label>
          <label>
            As{' '}
            <select data-testid="role" value={role} onChange={(e) => setRole(e.target.value as RoomRole)}>
              <option value="interactive">interactive (send and receive)</option>
              <option value="audience">audience (receive; send on a mic seat)</option>
            </select>
          </label>
          <button data-testid="enterRoom" type="submit">
            Enter room
          </button>
          <button type="button" onClick={signOut}>
            Sign out
          </button>
        </form>
      )}
      {me && roomId !== null && (
        <section className="room">
          <aside>
            <h2>Room {roomId}</h2>
            <ul data-testid="users">
              {users.map((u) => (
                <li key={u.userId} data-testid={`user-${u.userId}`} data-role={u.role}>
                  {u.nickName} ({u.userId}){u.role === 'audience' ? ' · audience' : ''}
                  {u.userId === me.userId ? ' — you' : ''}
                </li>
              ))}
            </ul>
            <button data-testid="leaveRoom" type="button" onClick={leave}>
              Leave room
            </button>
            <h2>Media</h2>
            <button data-testid="camera" type="button" onClick={() => void toggleCamera()}>
              {local ? 'Camera off' : 'Camera on'}
            </button>
            {local && (
              <button data-testid="micMute" data-state={micMuted ? 'muted' : 'live'} type="button" onClick={() => void toggleMicMute()}>
                {micMuted ? 'Unmute microphone' : 'Mute microphone'}
              </button>
            )}
            {mode === 'room' && (
              <>
                <button data-testid="switchRole" type="button" onClick={() => void switchRole()}>
                  {myRole === 'audience' ? 'Become interactive' : 'Become audience'}
                </button>
                <MicPanel mic={mic} me={me.userId} users={users} onRequest={() => void micCall('micRequest')} onRelease={() => void micCall('micRelease')} />
              </>
            )}
          </aside>
          <div>
            <div className="tiles">
              {local && <MediaTile stream={local} kind="video" label="you" testId="video-local" />}
              {remote.map((t) => (
                <MediaTile key={t.producerId} stream={t.stream} kind={t.kind} label={nameOf(t.userId)} testId={`${t.kind}-${t.userId}`} />
              ))}
            </div>
            <ol data-testid="chat" className="chat">
              {lines.map((l) => (
                <li key={l.key} className={l.secret ? 'whisper' : undefined}>
                  <b>{l.from}</b> → {l.to}
                  {l.secret ? ' (whisper)' : ''}: <span className="text">{l.text}</span>
                </li>
              ))}
            </ol>
            <form onSubmit={send} aria-label="send message">
              <select data-testid="target" value={target} onChange={(e) => setTarget(Number(e.target.value))}>
                <option value={-1}>everyone</option>
                {users
                  .filter((u) => u.userId !== me.userId)
                  .map((u) => (
                    <option key={u.userId} value={u.userId}>
                      {u.nickName}
                    </option>
                  ))}
              </select>
              <label>
                <input data-testid="secret" type="checkbox" checked={secret} onChange={(e) => setSecret(e.target.checked)} /> whisper
              </label>
              <input data-testid="message" value={text} onChange={(e) => setText(e.target.value)} placeholder="message" maxLength={4096} />
              <button data-testid="send" type="submit">
                Send
              </button>
            </form>
          </div>
        </section>
      )}
    </main>
  );
}
