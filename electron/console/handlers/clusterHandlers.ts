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
  const nodesOf = (roomId: number) => [...new Set((sdk.getRoom(roomId)?.users ?? []).map((u) => sdk.getOnlineUser(u.userId)?.node ?? cluster.nodeId))].sort();
  const known = new Set(rooms.map((r) => r.roomId));
  const out = rooms.map((r) => ({ ...r, userCount: sdk.getRoom(r.roomId)?.users.length ?? r.userCount, nodes: nodesOf(r.roomId) }));
  for (const r of sdk.listRooms()) {
    if (known.has(r.roomId)) continue;
    out.push({
      roomId: r.roomId,
      name: r.roomName || null,
      userCount: r.users.length,
      capacity: null,
      hasPassword: false,
      seatCount: 0,
      queueLength: 0,
      createdAt: 0,
      isCallRoom: false,
      nodes: nodesOf(r.roomId),
    });
  }
  return out;
}

/** This node's calls and (in a cluster) every other node's, each with its node. */
export async function clusterCallList(core: Core): Promise<ActiveCall[]> {
  const { sdk, cluster } = core.components;
  const own = sdk.listCalls().map(callView);
  if (!cluster) return own;
  const others = await cluster.otherNodesCalls();
  return [...own.map((c) => ({ ...c, node: cluster.nodeId })), ...others.flatMap(({ node, calls }) => calls.map((c) => ({ ...callView(c), node })))];
}
