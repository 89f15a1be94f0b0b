/** Gateway timestamps: `yyyyMMddHHmmss` (seed), read and written in UTC or the host's local zone. */
export type TimestampZone = 'utc' | 'local';

const pattern = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

export function formatTimestamp(ms: number, zone: TimestampZone = 'utc'): string {
  const d = new Date(ms);
  return zone === 'utc'
    ? `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`
    : `${pad(d.getFullYear(), 4)}${pad(d.getMonth() + 1)}${pad(d.getDate())}${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
}

/** Milliseconds since the epoch, or null when the text is not a real `yyyyMMddHHmmss` instant. */
export function parseTimestamp(text: string, zone: TimestampZone = 'utc'): number | null {
  const m = pattern.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = zone === 'utc' ? Date.UTC(y, mo - 1, d, h, mi, s) : new Date(y, mo - 1, d, h, mi, s).getTime();
  // Reject roll-overs such as month 13 or 31 February.
  if (formatTimestamp(ms, zone) !== text) return null;
  return ms;
}

/** Adds calendar months (for filelist_get's three-month cap), clamping the day to the month's end. */
export function addMonths(ms: number, months: number, zone: TimestampZone = 'utc'): number {
  const d = new Date(ms);
  if (zone === 'utc') {
    const day = d.getUTCDate();
    d.setUTCDate(1);
    d.setUTCMonth(d.getUTCMonth() + months);
    const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
    d.setUTCDate(Math.min(day, last));
  } else {
    const day = d.getDate();
    d.setDate(1);
    d.setMonth(d.getMonth() + months);
    const last = new Date(d.getFullYear(), d.getMonth() + 1, 0).getDate();
    d.setDate(Math.min(day, last));
  }
  return d.getTime();
}

/** "local time Asia/Shanghai (UTC+08:00)" or "UTC": what the gateway doc and the start line say. */
export function describeZone(zone: TimestampZone, now = Date.now()): string {
  if (zone === 'utc') return 'UTC';
  const name = Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'unknown';
  const off = -new Date(now).getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const a = Math.abs(off);
  return `local time ${name} (UTC${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')})`;
}
