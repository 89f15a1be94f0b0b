/** Small display formatters shared by the screens (pure; unit-tested). */

export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(sec).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

export function formatBitrate(bitsPerSecond: number): string {
  if (bitsPerSecond >= 1e9) return `${(bitsPerSecond / 1e9).toFixed(2)} Gbit/s`;
  if (bitsPerSecond >= 1e6) return `${(bitsPerSecond / 1e6).toFixed(2)} Mbit/s`;
  if (bitsPerSecond >= 1e3) return `${(bitsPerSecond / 1e3).toFixed(0)} kbit/s`;
  return `${Math.round(bitsPerSecond)} bit/s`;
}

export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '—';
  if (bytes >= 1 << 30) return `${(bytes / (1 << 30)).toFixed(2)} GiB`;
  if (bytes >= 1 << 20) return `${(bytes / (1 << 20)).toFixed(1)} MiB`;
  if (bytes >= 1 << 10) return `${(bytes / (1 << 10)).toFixed(0)} KiB`;
  return `${bytes} B`;
}

// Intl formatters are costly to build (toLocaleString builds one per call): one per language and style.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(language: string, style: 'full' | 'time' | 'short'): Intl.DateTimeFormat {
  const key = `${language}|${style}`;
  let f = formatters.get(key);
  if (!f) {
    const opts: Intl.DateTimeFormatOptions =
      style === 'full'
        ? { hour12: false, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit' }
        : style === 'time'
          ? { hour12: false, hour: '2-digit', minute: '2-digit', second: '2-digit' }
          : { hour12: false, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' };
    f = new Intl.DateTimeFormat(language, opts);
    formatters.set(key, f);
  }
  return f;
}

export function formatTime(epochMs: number, language: string): string {
  return formatter(language, 'full').format(epochMs);
}

/** Time of day for today, date and time otherwise (compact table cells). */
export function formatShortTime(epochMs: number, language: string, now = Date.now()): string {
  const sameDay = new Date(now).toDateString() === new Date(epochMs).toDateString();
  return formatter(language, sameDay ? 'time' : 'short').format(epochMs);
}

/** UTF-8 byte length without TextEncoder allocations per keystroke being a concern. */
export function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** Text → base64 of its UTF-8 bytes (for `users:sendBuffer`). */
export function textToBase64(text: string): string {
  let bin = '';
  for (const b of new TextEncoder().encode(text)) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** `datetime-local` input value ↔ epoch ms (local time). */
export function fromLocalInput(value: string): number | undefined {
  if (!value) return undefined;
  const t = new Date(value).getTime();
  return Number.isFinite(t) ? t : undefined;
}

/** SVG polyline points for a series scaled into width×height (min at the bottom). */
export function sparklinePoints(values: readonly number[], width: number, height: number, pad = 2): string {
  if (values.length === 0) return '';
  let max = -Infinity;
  let min = Infinity;
  for (const v of values) {
    if (v > max) max = v;
    if (v < min) min = v;
  }
  if (min > 0) min = 0;
  const span = max - min || 1;
  const step = values.length > 1 ? (width - pad * 2) / (values.length - 1) : 0;
  let out = '';
  for (let i = 0; i < values.length; i++) {
    const x = pad + i * step;
    const y = height - pad - ((values[i] - min) / span) * (height - pad * 2);
    out += `${i ? ' ' : ''}${x.toFixed(1)},${y.toFixed(1)}`;
  }
  return out;
}
