/**
 * The ICE-lite server's rules on real STUN messages (werift's codec), with in-memory tuples that
 * record what the server sends back: authentication, role, tuple selection and switching,
 * restart credentials, eviction, and which packets reach DTLS.
 */
import { randomBytes } from 'node:crypto';
import { Message, classes, methods, parseMessage } from 'werift';
import { describe, expect, it } from 'vitest';
import { IceLiteServer, type IceTuple } from './IceLiteServer';

interface RecordingTuple extends IceTuple {
  sent: Buffer[];
  closed: boolean;
}

function tuple(remotePort: number, protocol: 'udp' | 'tcp' = 'udp'): RecordingTuple {
  const t: RecordingTuple = {
    protocol,
    remoteIp: '127.0.0.1',
    remotePort,
    localIp: '127.0.0.1',
    localPort: 40000,
    sent: [],
    closed: false,
    send: (p) => void t.sent.push(p),
    close: () => void (t.closed = true),
  };
  return t;
}

function check(
  server: { usernameFragment: string; password: string },
  opts: { useCandidate?: boolean; controlled?: boolean; fingerprint?: boolean; password?: string } = {},
): Buffer {
  const m = new Message(methods.BINDING, classes.REQUEST)
    .setAttribute('USERNAME', `${server.usernameFragment}:peer`)
    .setAttribute('PRIORITY', 1_845_501_695)
    .setAttribute(opts.controlled ? 'ICE-CONTROLLED' : 'ICE-CONTROLLING', randomBytes(8).readBigUInt64BE());
  if (opts.useCandidate) m.setAttribute('USE-CANDIDATE', null);
  m.addMessageIntegrity(Buffer.from(opts.password ?? server.password, 'utf8'));
  if (opts.fingerprint !== false) m.addFingerprint();
  return m.bytes;
}

/** The last thing the server sent on `t`: 'ok', or the STUN error code. */
function answer(t: RecordingTuple, password?: string): 'ok' | number {
  const last = t.sent.at(-1);
  if (!last) throw new Error('nothing sent');
  const m = password ? parseMessage(last, Buffer.from(password, 'utf8')) : parseMessage(last);
  if (!m) throw new Error('unverifiable answer');
  return m.messageClass === classes.RESPONSE ? 'ok' : (m.getAttributeValue('ERROR-CODE') as [number, string])[0];
}

const DTLS = Buffer.from([22, 254, 253, 0, 0]);

describe('IceLiteServer', () => {
  it('answers a valid check signed with its password (XOR-MAPPED-ADDRESS is the tuple); connected, then completed on USE-CANDIDATE', () => {
    const s = new IceLiteServer();
    const states: string[] = [];
    s.onStateChange.subscribe((x) => states.push(x));
    const t = tuple(5000);
    s.receive(check(s), t);
    expect(answer(t, s.password)).toBe('ok');
    expect(parseMessage(t.sent[0])!.getAttributeValue('XOR-MAPPED-ADDRESS')).toEqual(['127.0.0.1', 5000]);
    expect(s.state).toBe('connected');
    s.receive(check(s, { useCandidate: true }), t);
    expect(s.state).toBe('completed');
    expect(states).toEqual(['connected', 'completed']);
    expect(s.selectedTuple).toBe(t);
  });

  it('refuses bad checks: wrong password or ufrag 401, no FINGERPRINT 400, a peer that claims ICE-CONTROLLED 487; none makes a tuple', () => {
    const s = new IceLiteServer();
    const t = tuple(5001);
    s.receive(check(s, { password: 'x'.repeat(32) }), t);
    expect(answer(t)).toBe(401);
    s.receive(check({ usernameFragment: 'someoneelse', password: s.password }), t);
    expect(answer(t)).toBe(401);
    s.receive(check(s, { fingerprint: false }), t);
    expect(answer(t)).toBe(400);
    s.receive(check(s, { controlled: true }), t);
    expect(answer(t, s.password)).toBe(487);
    expect(s.hasTuple(t)).toBe(false);
    expect(s.state).toBe('new');
  });

  it('passes DTLS/SRTP up only from tuples that passed a check, and sends on the selected one', () => {
    const s = new IceLiteServer();
    const got: Buffer[] = [];
    s.onData.subscribe((p) => got.push(p));
    const stranger = tuple(6000);
    const peer = tuple(6001);
    s.receive(DTLS, stranger);
    expect(got).toHaveLength(0);
    expect(s.send(DTLS)).toBe(false); // nothing selected yet
    s.receive(check(s, { useCandidate: true }), peer);
    s.receive(DTLS, peer);
    expect(got).toHaveLength(1);
    expect(s.send(Buffer.from([1, 2, 3]))).toBe(true);
    expect(peer.sent.at(-1)).toEqual(Buffer.from([1, 2, 3]));
  });

  it('switches to the tuple the peer nominates next; a removed selected tuple hands over to another, the last one leaves it disconnected', () => {
    const s = new IceLiteServer();
    const [udp, tcp] = [tuple(7000), tuple(7001, 'tcp')];
    s.receive(check(s, { useCandidate: true }), udp);
    s.receive(check(s), tcp); // valid, not nominated: the selection stays
    expect(s.selectedTuple).toBe(udp);
    s.receive(check(s, { useCandidate: true }), tcp);
    expect(s.selectedTuple).toBe(tcp);
    s.removeTuple(tcp);
    expect(s.selectedTuple).toBe(udp);
    expect(s.state).toBe('completed');
    s.removeTuple(udp);
    expect(s.selectedTuple).toBeUndefined();
    expect(s.state).toBe('disconnected');
  });

  it('restart: new credentials; the old ones are answered (signed with the old password) until a check uses the new ones', () => {
    const s = new IceLiteServer();
    const t = tuple(8000);
    s.receive(check(s, { useCandidate: true }), t);
    const old = { usernameFragment: s.usernameFragment, password: s.password };
    const fresh = s.restart();
    expect(fresh).toEqual({ usernameFragment: s.usernameFragment, password: s.password, iceLite: true });
    expect(fresh.usernameFragment).not.toBe(old.usernameFragment);
    s.receive(check(old), t);
    expect(answer(t, old.password)).toBe('ok');
    s.receive(check(fresh, { useCandidate: true }), t);
    expect(answer(t, fresh.password)).toBe('ok');
    s.receive(check(old), t);
    expect(answer(t)).toBe(401);
    expect(s.restarts).toBe(1);
  });

  it('keeps at most 8 tuples: the oldest unselected one is evicted and its connection closed', () => {
    const s = new IceLiteServer();
    const ts = Array.from({ length: 9 }, (_, i) => tuple(9000 + i, 'tcp'));
    s.receive(check(s, { useCandidate: true }), ts[0]);
    for (const t of ts.slice(1)) s.receive(check(s), t);
    expect(ts[1].closed).toBe(true);
    expect(s.hasTuple(ts[1])).toBe(false);
    expect(s.hasTuple(ts[0])).toBe(true); // the selected one stays
    expect(ts.slice(2).every((t) => s.hasTuple(t))).toBe(true);
  });
});
