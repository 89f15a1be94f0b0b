/** Smart-queue constants (seed: business HTTP API §5.2–5.6). */
export const ObjectTypes = { AREA: 4, QUEUE: 5, SKILL: 9, QUEUE_GROUP: 10 } as const;
export const objectTypeValues: readonly number[] = Object.values(ObjectTypes);

export const ObjectActions = { CREATE: 1, DELETE: 2, MODIFY: 3 } as const;

/** User-object flags. */
export const UserFlags = { CLIENT: 0x00, AGENT: 0x02, AUTO_MODE: 0x10 } as const;

/** Agent status (seed §5.2). */
export const AgentStatus = { NOT_READY: 0, IDLE: 1, BUSY: 2, AWAY: 3 } as const;
export type AgentStatusValue = (typeof AgentStatus)[keyof typeof AgentStatus];

/** object_status_get info types (seed §5.3, plus 405 agent id list). */
export const InfoTypes = {
  AREA_AGENT_COUNT: 401,
  AREA_GUEST_COUNT: 402,
  AREA_QUEUED_USER_COUNT: 403,
  AREA_QUEUE_COUNT: 404,
  AREA_AGENT_ID_LIST: 405,
  QUEUE_LENGTH: 504,
  AGENT_STATUS: 601,
  AGENT_SERVED_USER: 606,
} as const;

export const ZERO_GUID = '00000000-0000-0000-0000-000000000000';
