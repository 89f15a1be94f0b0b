import { describe, expect, it } from 'vitest';
import { formatBitrate, formatBytes, formatDuration, sparklinePoints, textToBase64, utf8Bytes } from './format';

describe('formatters', () => {
  it('durations', () => {
    expect(formatDuration(5)).toBe('00:05');
    expect(formatDuration(65.9)).toBe('01:05');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(-3)).toBe('00:00');
  });
  it('bitrates and bytes', () => {
    expect(formatBitrate(500)).toBe('500 bit/s');
    expect(formatBitrate(64_000)).toBe('64 kbit/s');
    expect(formatBitrate(2_500_000)).toBe('2.50 Mbit/s');
    expect(formatBytes(null)).toBe('—');
    expect(formatBytes(2048)).toBe('2 KiB');
  });
  it('utf-8 length and base64 of custom buffers', () => {
    expect(utf8Bytes('你好')).toBe(6);
    expect(textToBase64('hi')).toBe('aGk=');
    expect(atob(textToBase64('你好'))).toHaveLength(6);
  });
  it('sparkline points span the box with the max at the top', () => {
    expect(sparklinePoints([], 100, 20)).toBe('');
    const pts = sparklinePoints([0, 5, 10], 100, 20, 0).split(' ');
    expect(pts).toEqual(['0.0,20.0', '50.0,10.0', '100.0,0.0']);
    expect(sparklinePoints([3, 3], 10, 10, 0)).toBe('0.0,0.0 10.0,0.0');
    expect(sparklinePoints([0, 0], 10, 10, 0)).toBe('0.0,10.0 10.0,10.0');
  });
});
