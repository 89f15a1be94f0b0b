/** The demo client page: sign in, enter a room, chat (to everyone, to one, or whisper), see users. */
import { useEffect, useRef, useState } from 'react';
import { AnyChatClient, ClientError, type RoomUser, type SocketLike } from '../../shared/client';
import { DemoMedia, type RemoteTrack } from './DemoMedia';
import { MediaTile } from './MediaTile';

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

let lineKey = 0;

export function DemoApp() {
  const clientRef = useRef<AnyChatClient | null>(null);
  const [me, setMe] = useState<{ userId: number; nickName: string } | null>(null);
  const [roomId, setRoomId] = useState<number | null>(null);
  const [users, setUsers] = useState<RoomUser[]>([]);
  const [lines, setLines] = useState<ChatLine[]>([]);
  const [status, setStatus] = useState('signed out');
  const [userName, setUserName] = useState('');
  const [password, setPassword] = useState('');
  const [room, setRoom] = useState('1');
  const [text, setText] = useState('');
  const [target, setTarget] = useState(-1);
  const [secret, setSecret] = useState(false);

  const mediaRef = useRef<DemoMedia | null>(null);
  const [remote, setRemote] = useState<RemoteTrack[]>([]);
  const [local, setLocal] = useState<MediaStream | null>(null);
  const [mic, setMic] = useState('');
  const usersRef = useRef<RoomUser[]>([]);
  usersRef.current = users;
  useEffect(() => () => clientRef.current?.close(), []);

  function stopMedia() {
    mediaRef.current?.close();
    mediaRef.current = null;
    setRemote([]);
    setLocal(null);
    setMic('');
  }

  function startMedia(c: AnyChatClient) {
    stopMedia();
    const m = new DemoMedia(
      c,
      (r, l) => {
        setRemote(r);
        setLocal(l);
      },
      (msg) => setStatus(`media: ${msg}`),
    );
    mediaRef.current = m;
    void m.start();
  }

  async function toggleCamera() {
    const m = mediaRef.current;
    if (!m) return;
    await (m.publishing ? m.unpublish() : m.publish());
  }

  async function micCall(method: 'micRequest' | 'micRelease') {
    try {
      const r = await clientRef.current!.request(method, {});
      setMic(r.state === 'seated' ? `on seat ${r.seat}` : r.state === 'queued' ? `queued #${r.position}` : '');
    } catch (err) {
      setStatus(`${method}: ${describe(err)}`);
    }
  }

  const nameOf = (id: number, list: RoomUser[] = usersRef.current) => list.find((u) => u.userId === id)?.nickName ?? String(id);
  const addLine = (l: Omit<ChatLine, 'key'>) => setLines((prev) => [...prev.slice(-199), { ...l, key: ++lineKey }]);

  async function signIn(e: React.FormEvent) {
    e.preventDefault();
    setStatus('connecting…');
    try {
      const c = await AnyChatClient.connect(wsUrl(), (u) => new WebSocket(u) as unknown as SocketLike);
      clientRef.current = c;
      c.on('userEntered', (u) => setUsers((prev) => [...prev.filter((x) => x.userId !== u.userId), { userId: u.userId, nickName: u.nickName ?? String(u.userId), role: u.role ?? 'interactive' }]));
      c.on('userLeft', (u) => {
        if (u.userId === c.userId) {
          stopMedia();
          setRoomId(null);
          setUsers([]);
        } else setUsers((prev) => prev.filter((x) => x.userId !== u.userId));
      });
      c.on('textMessage', (m) =>
        addLine({ from: nameOf(m.srcUserId), to: m.targetUserId === -1 ? 'everyone' : nameOf(m.targetUserId), secret: m.secret, text: m.text }),
      );
      c.on('kicked', (k) => setStatus(`kicked by the server (${k.errorCode})`));
      c.on('close', (ev) => {
        stopMedia();
        setMe(null);
        setRoomId(null);
        setUsers([]);
        setStatus((s) => (s.startsWith('kicked') ? s : `disconnected (${ev.code})`));
      });
      const r = await c.login(userName, password);
      setMe({ userId: r.userId, nickName: r.nickName });
      setStatus(`signed in as ${r.nickName} (${r.userId})`);
    } catch (err) {
      clientRef.current?.close();
      clientRef.current = null;
      setStatus(`sign-in failed: ${describe(err)}`);
    }
  }

  async function enter(e: React.FormEvent) {
    e.preventDefault();
    const c = clientRef.current;
    if (!c) return;
    const asId = Number(room);
    try {
      const r = await c.enterRoom(Number.isInteger(asId) && asId > 0 ? { roomId: asId } : { roomName: room });
      setRoomId(r.roomId);
      setUsers(r.users);
      setLines([]);
      setStatus(`in room ${r.roomId}`);
      startMedia(c);
    } catch (err) {
      setStatus(`enter failed: ${describe(err)}`);
    }
  }

  async function leave() {
    stopMedia();
    try {
      await clientRef.current?.leaveRoom();
    } catch (err) {
      setStatus(describe(err));
    }
    setRoomId(null);
    setUsers([]);
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

  return (
    <main className="demo">
      <h1>AnyChat demo client</h1>
      <p data-testid="status" role="status">{status}</p>
      {!me && (
        <form onSubmit={signIn} aria-label="sign in">
          <label>User name <input data-testid="userName" value={userName} onChange={(e) => setUserName(e.target.value)} required /></label>
          <label>Password <input data-testid="password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} placeholder="empty = guest" /></label>
          <button data-testid="signIn" type="submit">Sign in</button>
        </form>
      )}
      {me && roomId === null && (
        <form onSubmit={enter} aria-label="enter room">
          <label>Room id or name <input data-testid="room" value={room} onChange={(e) => setRoom(e.target.value)} required /></label>
          <button data-testid="enterRoom" type="submit">Enter room</button>
          <button type="button" onClick={signOut}>Sign out</button>
        </form>
      )}
      {me && roomId !== null && (
        <section className="room">
          <aside>
            <h2>Room {roomId}</h2>
            <ul data-testid="users">
              {users.map((u) => (
                <li key={u.userId} data-testid={`user-${u.userId}`}>
                  {u.nickName} ({u.userId}){u.userId === me.userId ? ' — you' : ''}
                </li>
              ))}
            </ul>
            <button data-testid="leaveRoom" type="button" onClick={leave}>Leave room</button>
            <h2>Media</h2>
            <button data-testid="camera" type="button" onClick={() => void toggleCamera()}>
              {local ? 'Camera off' : 'Camera on'}
            </button>
            <button type="button" onClick={() => void micCall(mic ? 'micRelease' : 'micRequest')}>{mic ? 'Leave mic' : 'Take mic'}</button>
            {mic && <p data-testid="mic">{mic}</p>}
          </aside>
          <div>
            <div className="tiles">
              {local && <MediaTile stream={local} kind="video" label="you" testId="video-local" />}
              {remote.map((t) => (
                <MediaTile
                  key={t.producerId}
                  stream={t.stream}
                  kind={t.kind}
                  label={nameOf(t.userId)}
                  testId={`${t.kind}-${t.userId}`}
                />
              ))}
            </div>
            <ol data-testid="chat" className="chat">
              {lines.map((l) => (
                <li key={l.key} className={l.secret ? 'whisper' : undefined}>
                  <b>{l.from}</b> → {l.to}{l.secret ? ' (whisper)' : ''}: <span className="text">{l.text}</span>
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
              <button data-testid="send" type="submit">Send</button>
            </form>
          </div>
        </section>
      )}
    </main>
  );
}
