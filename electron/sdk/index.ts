/** The business-server SDK's single public entry. */
export { AnyChatSdk } from './AnyChatSdk';
export type { SdkOptions, SdkSettings } from './SdkOptions';
export { sdkMigrations } from './SdkStore';
export { Session, type ClientLink } from './Session';
export type { ClientSide, ClientState } from './ClientSide';
export type { DirectoryUser } from './UserDirectory';
export * from './types';
export { VideoCallEvent, UserInfoCtrl, ProtocolLimits } from '../../shared/protocol/limits';
export { InProcessSessionTable, type SessionTable } from './SessionTable';
export { InProcessRoomTable, type RoomEntry, type RoomTable } from './RoomTable';
