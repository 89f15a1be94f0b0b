/**
 * What a composed recording is to its callers — a room's publishers in a grid with mixed audio
 * ("Record room"), or one user with the others mixed in / overlaid / side by side / in stereo
 * (flags 0x10/0x20/0x100/0x200) — and the factory that picks the composer: live (default) or
 * after stop (the fallback).
 */
import type { Logger } from 'pino';
import type { Router } from '../api';
import type { MediaNode } from '../MediaNode';
import type { RecordingResult } from '../types';
import type { CompositeLayout } from './compositeGraph';

export interface CompositeSource {
  /** a stable key (the user id); the first source given is the main one */
  key: string;
  producerIds: string[];
}

export interface RoomRecordingOptions {
  node: MediaNode;
  router: Router;
  ffmpegPath: string;
  /** final file (WebM) */
  filePath: string;
  layout: CompositeLayout;
  flags: number;
  logger: Logger;
}

export interface ComposedRecording {
  readonly startedAt: number;
  readonly elapsedSeconds: number;
  /** bytes written so far (the live composer's segments; 0 before the first) */
  readonly bytesSoFar?: number;
  /** Sets the current sources (serialized). */
  update(sources: CompositeSource[]): Promise<void>;
  /** Ends the recording and returns the final file. */
  stop(): Promise<RecordingResult>;
}
