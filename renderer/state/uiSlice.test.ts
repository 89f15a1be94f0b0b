import { describe, expect, it } from 'vitest';
import { parseHash } from './uiSlice';

describe('parseHash', () => {
  it('reads page and room from the hash', () => {
    expect(parseHash('#/rooms/42')).toEqual({ page: 'rooms', roomId: 42 });
    expect(parseHash('#/users')).toEqual({ page: 'users', roomId: null });
    expect(parseHash('#/audit')).toEqual({ page: 'audit', roomId: null });
    expect(parseHash('#/nowhere')).toEqual({ page: 'dashboard', roomId: null });
    expect(parseHash('#/users/5')).toEqual({ page: 'users', roomId: null });
    expect(parseHash('')).toEqual({ page: 'dashboard', roomId: null });
  });
});
