import { expect, it } from 'vitest';
import { bridgeServerMessages } from './serverMessageBridge';
import { StatusBoard } from './StatusBoard';
import { Codes } from '../../shared/codes';

it('messages 10–14 follow real health transitions, once each, not one synthetic "connected"', () => {
  const board = new StatusBoard();
  const sent: string[] = [];
  const stop = bridgeServerMessages(board, (m, w) => void sent.push(`${m}/${w}`), new Set([14]), new Map([[10, 0]]));
  board.set('signaling', 'starting', 'binding');
  expect(sent).toEqual([]);
  board.set('signaling', 'up', 'clients on ws://…');
  board.set('signaling', 'up', 'clients on ws://… (2)');
  board.set('signaling', 'down', 'listener failed', Codes.UNAVAILABLE);
  board.set('signaling', 'up', 'recovered');
  board.set('rooms', 'degraded', 'mic timer late');
  board.set('media', 'up', '1 worker');
  board.set('media', 'degraded', 'worker died', Codes.UNAVAILABLE); // the media node reports its own failures
  board.set('core', 'up', 'listening'); // the signaling already sent 10/0
  board.set('signaling', 'stopped', 'stopped'); // shutdown is not a failure
  expect(sent).toEqual(['12/0', '12/900503', '12/0', '13/900503', '14/0']);
  stop();
  board.set('rooms', 'up', 'x');
  expect(sent).toHaveLength(5);
});
