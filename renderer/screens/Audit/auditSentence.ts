/**
 * An audit entry as a sentence ("admin kicked Alice (1001) and banned them for 10 minutes"), in
 * the console's language. Names come from the entry itself (written with the user's and room's
 * names at the time); seats are shown from 1, as everywhere people see them.
 */
import type { AuditEntry } from '../../../shared/ipc/contract';
import type { MessageKey } from '../../i18n/messages';

type T = (key: MessageKey, vars?: Record<string, string | number>) => string;

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export function auditSentence(e: AuditEntry, t: T): string {
  const p = e.params;
  const userId = num(p.userId);
  const user = userId === null ? e.target : str(p.userName) ? `${str(p.userName)} (${userId})` : t('audit.userN', { id: userId });
  const roomId = num(p.roomId);
  const room = roomId === null ? '' : str(p.roomName) ? `${str(p.roomName)} (${roomId})` : String(roomId);
  const who = e.operator || t('audit.someone');
  const vars = { who, user, room, target: e.target };
  switch (e.action) {
    case 'auth:signIn':
      return t('audit.s.signIn', { who, address: str(p.address) });
    case 'auth:signInFailed':
      return t(str(p.reason) === 'throttled' ? 'audit.s.signInThrottled' : 'audit.s.signInFailed', { address: str(p.address) });
    case 'users:kick': {
      const ban = num(p.banSeconds) ?? 0;
      const base = ban > 0 ? t('audit.s.kickBan', { ...vars, duration: duration(ban, t) }) : t('audit.s.kick', vars);
      return `${base}${p.banAddress ? t('audit.s.andAddress') : ''}${str(p.reason) ? t('audit.s.reason', { reason: str(p.reason) }) : ''}`;
    }
    case 'users:mute':
      return t(p.kind === 'video' ? 'audit.s.muteVideo' : 'audit.s.muteAudio', vars);
    case 'users:unmute':
      return t(p.kind === 'video' ? 'audit.s.unmuteVideo' : 'audit.s.unmuteAudio', vars);
    case 'bans:lift':
      return t('audit.s.lift', vars);
    case 'users:sendMessage':
    case 'users:sendBuffer':
      return t('audit.s.message', vars);
    case 'users:broadcast':
      return roomId === -1 ? t('audit.s.broadcastAll', vars) : t('audit.s.broadcastRoom', vars);
    case 'rooms:close':
      return t('audit.s.closeRoom', vars);
    case 'mic:forceOff':
      return t('audit.s.forceOff', vars);
    case 'mic:removeFromQueue':
      return t('audit.s.removeFromQueue', vars);
    case 'mic:reorder':
      return t('audit.s.reorder', vars);
    case 'mic:lockSeat':
    case 'mic:unlockSeat':
      return t(e.action === 'mic:lockSeat' ? 'audit.s.lockSeat' : 'audit.s.unlockSeat', { ...vars, seat: (num(p.seat) ?? 0) + 1 });
    case 'mic:setSeatCount':
      return t('audit.s.seatCount', { ...vars, count: num(p.count) ?? 0 });
    case 'recordings:start':
      return t('audit.s.recordStart', vars);
    case 'recordings:stop':
      return t('audit.s.recordStop', vars);
    case 'recordings:rename':
      return t('audit.s.rename', { who, file: e.target, name: str(p.fileName) });
    case 'recordings:delete':
      return t('audit.s.delete', { who, file: e.target });
    case 'calls:hangup':
      return t('audit.s.hangup', vars);
    case 'gateway:resendDead':
      return t('audit.s.resend', vars);
    case 'operators:add':
      return t('audit.s.opAdd', { who, name: str(p.username), role: str(p.role) });
    case 'operators:setDisabled':
      return t(p.disabled ? 'audit.s.opDisable' : 'audit.s.opEnable', { who, name: str(p.username) });
    case 'operators:resetPassword':
      return t('audit.s.opReset', { who, name: str(p.username) });
    default:
      return t('audit.s.other', { who, action: e.action, target: e.target });
  }
}

function duration(seconds: number, t: T): string {
  if (seconds < 3600) return t('kick.minutes', { n: Math.round(seconds / 60) || 1 });
  if (seconds < 86400) return t('kick.hours', { n: Math.round(seconds / 3600) });
  return t('kick.days', { n: Math.round(seconds / 86400) });
}

/** RFC 4180 CSV of entries; cells that a spreadsheet would run as a formula are quoted with a leading '. */
export function auditCsv(entries: readonly AuditEntry[], sentence: (e: AuditEntry) => string, meaning: (code: number | null) => string): string {
  const cell = (v: unknown) => {
    let s = v === null || v === undefined ? '' : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const header = ['time', 'operator', 'action', 'sentence', 'target', 'result', 'code', 'meaning', 'message', 'params'];
  const rows = entries.map((e) => [
    new Date(e.at).toISOString(),
    e.operator,
    e.action,
    sentence(e),
    e.target,
    e.result,
    e.errorCode ?? '',
    meaning(e.errorCode),
    e.message ?? '',
    JSON.stringify(e.params),
  ]);
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
