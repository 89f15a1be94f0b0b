/** Several hosts as one platform over Redis (docs/cluster.md). */
export { ClusterNode, type ClusterNodeOptions } from './ClusterNode';
export type { NodeInfo } from './NodeRegistry';
