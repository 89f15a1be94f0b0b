/**
 * The console's one zustand store, built from slices. The main process is the source of truth;
 * the store is its projection (snapshot on connect, then event streams — see app/connect.ts).
 * Actions are named after the events they apply.
 *
 * Shape (entities normalised by id; big tables are Maps updated in place, with a version number
 * that bumps once per applied event so one event costs O(changed entities)):
 *
 *   status      components: {[component]: ComponentStatus}
 *   session     operator, connection, connectionError, client
 *   ui          page, language, roomId (open room detail), notice
 *   users       users: Map<userId, OnlineUser>, userIds (ascending), usersVersion, userDetailRead, userDetail
 *   rooms       rooms: Map<roomId, RoomSummary>, roomsVersion,
 *               members: Map<roomId, RoomMember[]>, membersVersion,
 *               producers: Map<roomId, RoomProducer[]>, producersVersion, roomDetailRead
 *   mics        mics: Map<roomId, MicStateView>, micsVersion
 *   stats       usersOnline, roomCount, activeCalls, recordingsToday, totalBitrate,
 *               history: {at, usersOnline, bitrate}[] (≤ 15 min), quality: Map<producerId, ProducerQuality>,
 *               activeSpeakers: {[roomId]: userId}, lastTickAt
 *   recordings  activeRecordings: Map<recordingId, RecordingEntry>, activeRecordingsVersion,
 *               recordingQuery, recordingPage, recordingPageError, recordingsListVersion
 *   calls       calls: Map<callId, ActiveCall>, callsVersion
 *   bans        bans: Map<userId, BanEntry>, bansVersion
 *   audit       audit: Map<id, AuditEntry>, auditIds (newest first), auditHasMore, auditOlderLoading
 *   gateway     gateway: GatewaySnapshot | null (overview, dead notices, delivery log), deliveryLogAppId
 *   operators   operatorSessions (who is signed in), operatorAccounts (admins only)
 *   queues      queueAreas, queueList: Map<objectguid, queue + waiting>, queueAgents: Map<userId, agent>,
 *               queueSkills, queueGroups, queueUserObjects, queuesVersion
 *
 * `gateway:changed` / `queues:changed` carry no data: their actions re-read the snapshot calls,
 * coalesced (one read in flight plus one pending — state/coalescedRead.ts).
 *
 * Components read the store through the selector hooks of state/selectors.ts (`useUser(id)`,
 * `useRoomMembers(roomId)`, `useFilteredUserIds(filter)`…), never a version counter or a Map: a
 * row selects its own entity (same object until it changes); small derived sets (calls, bans,
 * active recordings) are derived in the selector with `useShallow`; the big tables (users, rooms)
 * derive their lists in a memo keyed on the table's version, so a store change elsewhere never
 * rescans 10,000 users. Detail reads are slice actions (`fetchUserDetail`, `fetchRoomDetail`,
 * `fetchRecordingPage`, `fetchOlderAudit`) that keep their outcome in the store (state/detailRead.ts).
 * Events reach the store in batches of one animation frame (app/eventBatcher.ts).
 */
import { create } from 'zustand';
import { createAuditSlice, type AuditSlice } from './auditSlice';
import { createBansSlice, type BansSlice } from './bansSlice';
import { createGatewaySlice, type GatewaySlice } from './gatewaySlice';
import { createCallsSlice, type CallsSlice } from './callsSlice';
import { createMicsSlice, type MicsSlice } from './micsSlice';
import { createOperatorsSlice, type OperatorsSlice } from './operatorsSlice';
import { createQueuesSlice, type QueuesSlice } from './queuesSlice';
import { createRecordingsSlice, type RecordingsSlice } from './recordingsSlice';
import { createRoomsSlice, type RoomsSlice } from './roomsSlice';
import { createSessionSlice, type SessionSlice } from './sessionSlice';
import { createStatsSlice, type StatsSlice } from './statsSlice';
import { createStatusSlice, type StatusSlice } from './statusSlice';
import { createUiSlice, type UiSlice } from './uiSlice';
import { createUsersSlice, type UsersSlice } from './usersSlice';

export type ConsoleState = StatusSlice &
  SessionSlice &
  UiSlice &
  UsersSlice &
  RoomsSlice &
  MicsSlice &
  StatsSlice &
  RecordingsSlice &
  CallsSlice &
  BansSlice &
  AuditSlice &
  GatewaySlice &
  QueuesSlice &
  OperatorsSlice;

/** Builds a fresh store (tests build their own; the app uses `useConsoleStore`). */
export function createConsoleStore() {
  return create<ConsoleState>()((...a) => ({
    ...createStatusSlice(...a),
    ...createSessionSlice(...a),
    ...createUiSlice(...a),
    ...createUsersSlice(...a),
    ...createRoomsSlice(...a),
    ...createMicsSlice(...a),
    ...createStatsSlice(...a),
    ...createRecordingsSlice(...a),
    ...createCallsSlice(...a),
    ...createBansSlice(...a),
    ...createAuditSlice(...a),
    ...createGatewaySlice(...a),
    ...createQueuesSlice(...a),
    ...createOperatorsSlice(...a),
  }));
}

export const useConsoleStore = createConsoleStore();
