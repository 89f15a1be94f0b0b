import { describe, expect, it } from 'vitest';
import { Codes, SignalingCodes } from '../../shared/codes';
import { codeMeaning, decodeRecordFlags, decodeUserFlags } from './meaning';

describe('meaning', () => {
  it('gives every code of shared/codes.ts a meaning', () => {
    expect(codeMeaning(SignalingCodes.USER_BANNED)).toBe('user is banned');
    expect(codeMeaning(Codes.MIC_BAD_SEAT)).toBe('mic bad seat');
    expect(codeMeaning(100704)).toBe('gateway: signature failed');
    expect(codeMeaning(123456789)).toBe('');
    expect(codeMeaning(null)).toBe('');
  });

  it('decodes user and record flags', () => {
    expect(decodeUserFlags(0)).toEqual(['client']);
    expect(decodeUserFlags(0x12)).toEqual(['agent', 'auto mode']);
    expect(decodeUserFlags(0x42)).toEqual(['agent', '0x40']);
    expect(decodeRecordFlags(0x7)).toEqual(['video', 'audio', 'server-side']);
    expect(decodeRecordFlags(0x8000 | 0x400)).toEqual(['snapshot', '0x8000']);
  });
});
