/** The HTTP business gateway's public entry (docs/gateway-api.md). */
export { Gateway, gatewayMigrations, type GatewayOptions, type GatewayAppInfo, type GatewayRequestStats, type GatewayEvents } from './Gateway';
export { SdkPlatform, type SdkPlatformOptions } from './sdkPlatform';
export { DOWNLOAD_PREFIX } from './downloads';
export type { PlatformPort, PlatformEvent, PlatformUser, PlatformFile, FileIndex, FileQuery } from './platformPort';
export type { OutboxDepth, OutboxEntry, DeliveryLogEntry } from './outbox/NotifyOutbox';
export type { QueueSnapshot, AgentState } from '../queueing/SmartQueue';
export { QueueClientMethods } from '../queueing/SmartQueue';
