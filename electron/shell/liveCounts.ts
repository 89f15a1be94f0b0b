/**
 * What is live right now, for the Quit confirmation: rooms with someone in them, users online,
 * calls and recordings in progress. Read through the console contract (the same calls the
 * screens use), so it sees exactly what the operator sees.
 */
import type { ConsoleService } from '../ipc/ConsoleService';
import type { LiveCounts } from './quitDecision';

export async function liveCounts(service: Pick<ConsoleService, 'call'>, operator: string): Promise<LiveCounts> {
  const ctx = { operator, shell: 'electron' as const };
  const [rooms, dash, recs] = await Promise.all([
    service.call('rooms:list', {}, ctx),
    service.call('dashboard:snapshot', {}, ctx),
    service.call('recordings:active', {}, ctx),
  ]);
  return {
    rooms: rooms.ok ? rooms.value.filter((room) => room.userCount > 0).length : 0,
    users: dash.ok ? dash.value.usersOnline : 0,
    calls: dash.ok ? dash.value.activeCalls : 0,
    recordings: recs.ok ? recs.value.length : 0,
  };
}
