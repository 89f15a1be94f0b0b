import { describe, expect, it } from 'vitest';
import { describePosition, micPosition, seatedUsers } from './micView';

const state = {
  roomId: 7,
  seats: [
    { seat: 0, userId: 1001, locked: false },
    { seat: 1, userId: null, locked: true },
    { seat: 2, userId: 1002, locked: false },
  ],
  queue: [1004, 1003],
};

describe('micView', () => {
  it('lists the seated users, ignoring empty and locked seats', () => {
    expect([...seatedUsers(state)].sort()).toEqual([1001, 1002]);
    expect(seatedUsers(null).size).toBe(0);
  });

  it('finds a user on a seat, in the queue (from 1), or nowhere', () => {
    expect(micPosition(state, 1002)).toEqual({ state: 'seated', seat: 2 });
    expect(micPosition(state, 1003)).toEqual({ state: 'queued', position: 2 });
    expect(micPosition(state, 1005)).toEqual({ state: 'none' });
    expect(micPosition(null, 1001)).toEqual({ state: 'none' });
  });

  it('describes the position for the panel', () => {
    // Seat 0 on the wire is seat 1 for people (console, audit log, demo page alike).
    expect(describePosition({ state: 'seated', seat: 0 })).toBe('on seat 1');
    expect(describePosition({ state: 'queued', position: 1 })).toBe('queued #1');
    expect(describePosition({ state: 'none' })).toBe('not on the mic');
  });
});
