/**
 * What the server sends to clients on its own: notifications to one user or to a room, and the
 * filter buffers (BRAS_SendBufToUser / SendBufToRoom / TransBuffer, ≤ 1024 bytes). A room or
 * everyone gets one serialized frame, not one serialization per member.
 */
import { CodedError, Codes, SignalingCodes } from '../../shared/codes';
import { bytesToBase64 } from '../../shared/protocol/base64';
import { ProtocolLimits } from '../../shared/protocol/limits';
import type { NotificationName, Notifications } from '../../shared/protocol/messages';
import type { RoomTable } from './RoomTable';
import type { SessionTable } from './SessionTable';
import { offline } from './UserControls';

export class Delivery {
  constructor(
    private readonly sessions: SessionTable,
    private readonly rooms: RoomTable,
  ) {}

  /** False when the user is offline. */
  pushToUser<N extends NotificationName>(userId: number, notification: N, data: Notifications[N]): boolean {
    const s = this.sessions.get(userId);
    if (!s) return false;
    s.link.push(notification, data);
    return true;
  }

  /** Every user in the room (optionally but one). Returns how many got it. */
  pushToRoom<N extends NotificationName>(roomId: number, notification: N, data: Notifications[N], exceptUserId?: number): number {
    return this.pushToMembers(roomId, notification, data, exceptUserId, false);
  }

  /**
   * Like pushToRoom, to the members this host holds only. Entries and leaves go this way: in a
   * cluster each node tells its own members when it applies another node's change (ClusterNode),
   * so two entries that cross still tell each member once — in its list or by userEntered.
   */
  pushToMembersHere<N extends NotificationName>(roomId: number, notification: N, data: Notifications[N], exceptUserId?: number): number {
    return this.pushToMembers(roomId, notification, data, exceptUserId, true);
  }

  private pushToMembers<N extends NotificationName>(
    roomId: number,
    notification: N,
    data: Notifications[N],
    exceptUserId: number | undefined,
    hereOnly: boolean,
  ): number {
    const room = this.rooms.get(roomId);
    if (!room) return 0;
    const frame = JSON.stringify({ notification, data });
    let n = 0;
    for (const uid of room.members.keys()) {
      if (uid === exceptUserId) continue;
      const s = this.sessions.get(uid);
      if (!s || (hereOnly && s.link.remoteNode !== undefined)) continue;
      s.link.sendFrame(frame);
      n++;
    }
    return n;
  }

  /** `sdkFilterData` to one user. */
  sendBufToUser(userId: number, data: Uint8Array): void {
    checkBuffer(data, ProtocolLimits.MAX_BUFFER_BYTES);
    if (!this.pushToUser(userId, 'sdkFilterData', { data: bytesToBase64(data) })) throw offline(userId);
  }

  /** `sdkFilterData` to a room, or -1 = everyone online. Returns recipients. */
  sendBufToRoom(roomId: number, data: Uint8Array): number {
    checkBuffer(data, ProtocolLimits.MAX_BUFFER_BYTES);
    const msg = { data: bytesToBase64(data) };
    if (roomId === -1) {
      const frame = JSON.stringify({ notification: 'sdkFilterData', data: msg });
      for (const s of this.sessions.values()) s.link.sendFrame(frame);
      return this.sessions.size;
    }
    if (!this.rooms.has(roomId)) throw new CodedError(Codes.NOT_FOUND, `room ${roomId} does not exist`);
    return this.pushToRoom(roomId, 'sdkFilterData', msg);
  }

  /** `transBuffer` from the server (srcUserId 0) to a user. */
  transBuffer(userId: number, data: Uint8Array): void {
    checkBuffer(data, ProtocolLimits.MAX_BUFFER_BYTES);
    if (!this.pushToUser(userId, 'transBuffer', { srcUserId: 0, data: bytesToBase64(data) })) throw offline(userId);
  }
}

function checkBuffer(data: Uint8Array, max: number): void {
  if (data.length > max) throw new CodedError(SignalingCodes.PAYLOAD_TOO_LARGE, `buffer of ${data.length} bytes exceeds ${max}`);
}
