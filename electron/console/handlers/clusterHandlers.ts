/**
 * The console on a cluster node answers for the cluster (docs/cluster.md): the Nodes panel, and
 * the room and call lists with every node's entries and a node column. On a single host the
 * lists are this host's and the node list is empty.
 */
import type { ActiveCall, ClusterNodeView, RoomSummary } from '../../../shared/ipc/types';
import type { Core } from '../../core/Core';
import { callView } from '../toView';
import type { HandlerDeps, HandlerMap } from './types';

export function clusterHandlers({ core }: HandlerDeps) {
  return {
    'cluster:nodes': async (): Promise<ClusterNodeView[]> => {
      const cluster = core.components.cluster;
      if (!cluster) return [];
      return (await cluster.nodes()).map((n) => ({
        nodeId: n.nodeId,
        status: n.status,
        url: n.url,
        users: n.users,
        rooms: n.rooms,
        mediaLoad: n.mediaLoad,
        lastSeen: n.lastSeen,
        self: n.nodeId === cluster.nodeId,
      }));
    },
  } satisfies HandlerMap;
}

/** The business layer's rooms, plus (in a cluster) rooms only other nodes' users are in, each with its members' nodes. */
export function clusterRoomList(core: Core): RoomSummary[] {
  const { business, sdk, cluster } = core.components;
  const rooms = business.listRooms();
  if (!cluster) return rooms;
  const known = new Set(rooms.map((r) => r.roomId));
  const out = rooms.map((r) => withClusterMembers(core, r));
  for (const r of sdk.listRooms()) if (!known.has(r.roomId)) out.push(withClusterMembers(core, { ...removedRoom(r.roomId), name: r.roomName || null }));
  return out;
}

/** One room's summary as the cluster sees it (null: no node has users in it and this node does not hold it). */
export function clusterRoomSummary(core: Core, roomId: number): RoomSummary | null {
  const { business, sdk } = core.components;
  let own: RoomSummary | null = null;
  try {
    own = business.roomDetail(roomId).room;
  } catch {
    own = null; // not a room of this node's business layer
  }
  const r = sdk.getRoom(roomId);
  if (!own && !r) return null;
  return withClusterMembers(core, own ?? { ...removedRoom(roomId), name: r?.roomName || null });
}

/** In a cluster: the member count and the members' nodes across every node. */
export function withClusterMembers(core: Core, room: RoomSummary): RoomSummary {
  const { sdk, cluster } = core.components;
  if (!cluster) return room;
  const users = sdk.getRoom(room.roomId)?.users ?? [];
  const nodes = [...new Set(users.map((u) => sdk.getOnlineUser(u.userId)?.node ?? cluster.nodeId))].sort();
  return { ...room, userCount: users.length || room.userCount, nodes };
}

/** A room that has ended, as `rooms:changed` names it (only its id matters with `removed`). */
export function removedRoom(roomId: number): RoomSummary {
  return { roomId, name: null, userCount: 0, capacity: null, hasPassword: false, seatCount: 0, queueLength: 0, createdAt: 0, isCallRoom: false };
}

/** This node's calls and (in a cluster) every other node's, each with its node. */
export async function clusterCallList(core: Core): Promise<ActiveCall[]> {
  const { sdk, cluster } = core.components;
  const own = sdk.listCalls().map(callView);
  if (!cluster) return own;
  const others = await cluster.otherNodesCalls();
  return [...own.map((c) => ({ ...c, node: cluster.nodeId })), ...others.flatMap(({ node, calls }) => calls.map((c) => ({ ...callView(c), node })))];
}
