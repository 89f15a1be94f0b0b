/**
 * Live preview: the console itself consumes a room's producers through mediasoup-client. Each
 * preview owns one receive transport on the room's router; it closes on `preview:close`, when the
 * room's router goes away, or after an hour.
 */
import { randomUUID } from 'node:crypto';
import { Codes, CodedError } from '../../../shared/codes';
import { callNames, type CallName, type ConsoleEvents } from '../../../shared/ipc/contract';
import type { RoomDetail } from '../../../shared/ipc/types';
import type { TypedEmitter } from '../../util/TypedEmitter';
import type { DtlsParameters, RtpCapabilities } from '../../media/types';
import type { PortConsumer, PortRouter, PortTransport } from '../../signaling/media/MediaPort';
import type { HandlerMap } from './types';

/** What the preview needs from the signaling's media side. */
export interface RoomMediaSource {
  /** The room's router (created on first use). */
  routerOfRoom(roomId: number): Promise<PortRouter>;
  producersOfRoom(roomId: number): RoomDetail['producers'];
  /** Called with a room id whenever its producers change. */
  onRoomProducers(listener: (roomId: number) => void): () => void;
}

interface Preview {
  id: string;
  roomId: number;
  router: PortRouter;
  transport: PortTransport | null;
  consumers: Map<string, PortConsumer>;
  timer: NodeJS.Timeout;
}

const MAX_PREVIEWS = 16;
const PREVIEW_LIFETIME_MS = 3600_000;

export class PreviewSessions {
  private readonly previews = new Map<string, Preview>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly source: RoomMediaSource,
    private readonly out: TypedEmitter<ConsoleEvents>,
  ) {
    this.unsubscribe = source.onRoomProducers((roomId) => {
      const producers = source.producersOfRoom(roomId).map(({ producerId, userId, kind }) => ({ producerId, userId, kind }));
      for (const p of this.previews.values()) if (p.roomId === roomId) out.emit('preview:producers', { previewId: p.id, producers });
    });
  }

  async open(roomId: number): Promise<Preview> {
    if (this.previews.size >= MAX_PREVIEWS) throw new CodedError(Codes.TOO_MANY_REQUESTS, `at most ${MAX_PREVIEWS} previews at a time`);
    const router = await this.source.routerOfRoom(roomId);
    const id = randomUUID();
    const timer = setTimeout(() => this.close(id), PREVIEW_LIFETIME_MS);
    timer.unref();
    const p: Preview = { id, roomId, router, transport: null, consumers: new Map(), timer };
    this.previews.set(id, p);
    return p;
  }

  get(id: string): Preview {
    const p = this.previews.get(id);
    if (!p) throw new CodedError(Codes.NOT_FOUND, `preview ${id} is not open`);
    return p;
  }

  close(id: string): void {
    const p = this.previews.get(id);
    if (!p) return;
    this.previews.delete(id);
    clearTimeout(p.timer);
    for (const c of p.consumers.values()) c.close();
    p.transport?.close();
  }

  closeAll(): void {
    this.unsubscribe();
    for (const id of [...this.previews.keys()]) this.close(id);
  }
}

export function previewHandlers(sessions: PreviewSessions) {
  return {
    'preview:open': async ({ roomId }) => {
      const p = await sessions.open(roomId);
      return { previewId: p.id, routerRtpCapabilities: p.router.rtpCapabilities };
    },
    'preview:createTransport': async ({ previewId }) => {
      const p = sessions.get(previewId);
      if (p.transport) throw new CodedError(Codes.BAD_REQUEST, 'this preview already has its transport');
      const t = await p.router.createWebRtcTransport({ appData: { console: true, previewId } });
      p.transport = t;
      return { id: t.id, iceParameters: t.iceParameters, iceCandidates: t.iceCandidates, dtlsParameters: t.dtlsParameters };
    },
    'preview:connectTransport': async ({ previewId, dtlsParameters }) => {
      const p = sessions.get(previewId);
      if (!p.transport) throw new CodedError(Codes.BAD_REQUEST, 'create the transport first');
      await p.transport.connect({ dtlsParameters: dtlsParameters as unknown as DtlsParameters });
      return {};
    },
    'preview:consume': async ({ previewId, producerId, rtpCapabilities }) => {
      const p = sessions.get(previewId);
      if (!p.transport) throw new CodedError(Codes.BAD_REQUEST, 'create the transport first');
      const caps = rtpCapabilities as unknown as RtpCapabilities;
      if (!p.router.canConsume({ producerId, rtpCapabilities: caps })) throw new CodedError(Codes.BAD_REQUEST, `cannot consume producer ${producerId}`);
      const c = await p.transport.consume({ producerId, rtpCapabilities: caps, paused: true });
      p.consumers.set(c.id, c);
      return { id: c.id, producerId, kind: c.kind, rtpParameters: c.rtpParameters };
    },
    'preview:resume': async ({ previewId, consumerId }) => {
      const c = sessions.get(previewId).consumers.get(consumerId);
      if (!c) throw new CodedError(Codes.NOT_FOUND, `consumer ${consumerId} is not in this preview`);
      await c.resume();
      return {};
    },
    'preview:close': ({ previewId }) => {
      sessions.close(previewId);
      return {};
    },
  } satisfies HandlerMap;
}

type PreviewCall = Extract<CallName, `preview:${string}`>;

/** Where the host runs without a media node: every preview call answers that previews are unavailable. */
export function previewsUnavailable(): { [K in PreviewCall]: () => never } {
  const no = (): never => {
    throw new CodedError(Codes.UNAVAILABLE, 'live preview is not available: this host runs no media node');
  };
  const calls = callNames.filter((n): n is PreviewCall => n.startsWith('preview:'));
  return Object.fromEntries(calls.map((name) => [name, no])) as { [K in PreviewCall]: () => never };
}
