/** The business layer's public entry (rooms, mic seats and queue, call rooms, chat log). */
export { BusinessLayer, type BusinessLayerOptions, type OperatorCreateRoom, type RoomsSettings } from './BusinessLayer';
export type { BusinessEvents, BusinessRoomDetail } from './views';
export { businessMigrations } from './businessMigrations';
export type { ChatLogEntry, ChatLogQuery } from './chat/chatLogRepository';
export type { MicStateWire, MicStatus } from './mic/micQueue';
export { ManualClock, systemClock, type Clock } from './clock';
