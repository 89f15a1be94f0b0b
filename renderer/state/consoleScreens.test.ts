import { describe, expect, it } from 'vitest';
import { consoleScreens } from '../../shared/ipc/contract';
import { pages } from './uiSlice';

describe('console screens', () => {
  it("the desktop menu's Ctrl/Cmd+1… list is the renderer's page list, in nav order", () => {
    expect([...consoleScreens]).toEqual([...pages]);
  });
});
