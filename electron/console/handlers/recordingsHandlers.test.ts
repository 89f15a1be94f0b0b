import { describe, expect, it } from 'vitest';
import type { PlatformFile } from '../../gateway';
import { recordingEntryOf } from './recordingsHandlers';

describe('recordingEntryOf', () => {
  it('reports the start the file index stored, not that start minus the duration again', () => {
    const start = Date.UTC(2026, 0, 1, 12, 0, 0);
    const file = {
      fileId: 'f1',
      fileType: 1,
      fileName: 'a.webm',
      filePath: '/x/a.webm',
      fileLength: 10,
      createTime: start,
      recordSeconds: 71,
      flags: 4,
      userId: 1001,
      userName: 'alice',
      userIp: '',
      param: 0,
      strParam: '',
    } as PlatformFile;
    const e = recordingEntryOf(file);
    expect(e.startedAt).toBe(start);
    expect(e.durationSeconds).toBe(71);
  });
});
