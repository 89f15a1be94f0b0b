/**
 * Plugs media into the SDK, for the composition root (Core) and test harnesses: the media rows
 * (MediaRequests) become the SDK's media control, and with the local media node also its recorder
 * (streamRecordCtrl). `detach()` unplugs both; the signaling server only serves what it is given.
 */
import type { Logger } from 'pino';
import type { MediaNode } from '../../media';
import type { AnyChatSdk } from '../../sdk';
import { MediaNodeRecorder, mediaNodePort } from './mediaNodeAdapter';
import type { MediaPort } from './MediaPort';
import { MediaRequests } from './MediaRequests';
import { RoomRecorder } from './roomRecorder';

export interface LiveRecordingSizes {
  users: Record<number, number>;
  rooms: Record<number, number>;
}

export interface MediaWiring {
  readonly requests: MediaRequests;
  /** "Record room" (composed recordings); null without a media node. */
  readonly roomRecorder: RoomRecorder | null;
  /** Finishes, indexes and announces every recording in progress (host shutdown). */
  finishRecordings(): Promise<void>;
  /** Bytes written so far by the recordings in progress, by recorded user and by recorded room. */
  liveSizes(): Promise<LiveRecordingSizes>;
  /** Releases every peer and unplugs media (and the recorder) from the SDK. */
  detach(): void;
}

/** Any MediaPort (tests): media rows only, no recorder. */
export function attachMediaPort(sdk: AnyChatSdk, port: MediaPort, logger: Logger): MediaWiring {
  const requests = new MediaRequests(port, sdk, logger);
  sdk.attachMedia(requests);
  return {
    requests,
    roomRecorder: null,
    finishRecordings: async () => {},
    liveSizes: () => Promise.resolve({ users: {}, rooms: {} }),
    detach() {
      requests.close();
      sdk.attachMedia(null);
    },
  };
}

/** The local media node: media rows, and the node as the SDK's recorder. */
export function attachMediaNode(sdk: AnyChatSdk, node: MediaNode, logger: Logger): MediaWiring {
  const wiring = attachMediaPort(sdk, mediaNodePort(node, sdk), logger.child({ part: 'media' }));
  const recorder = new MediaNodeRecorder(node, wiring.requests, sdk, logger.child({ part: 'recorder' }));
  sdk.attachRecorder(recorder);
  const roomRecorder = new RoomRecorder(node, wiring.requests, sdk, logger.child({ part: 'room-recorder' }));
  return {
    requests: wiring.requests,
    roomRecorder,
    finishRecordings: async () => {
      await Promise.all([recorder.finishAll(), roomRecorder.finishAll()]);
    },
    liveSizes: async () => ({ users: await recorder.liveSizes(), rooms: roomRecorder.liveSizes() }),
    detach() {
      wiring.detach();
      sdk.attachRecorder(null);
    },
  };
}
