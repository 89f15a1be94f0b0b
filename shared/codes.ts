/**
 * Every numeric code the project speaks, in one place. The seed codes (AnyChat Server SDK,
 * business HTTP API, NIM multi-party rooms) keep their exact values; codes the project adds
 * live in the 900xxx range so they never collide with a seed value.
 */
export const Codes = {
  SUCCESS: 0,
  // Login (seed: AnyChat Server SDK §2.3)
  WRONG_CREDENTIALS: 200,
  ACCOUNT_LOCKED: 202,
  // Logout reasons (seed §2.6)
  LOGOUT_NORMAL: 0,
  LOGOUT_NETWORK_TIMEOUT: 100,
  LOGOUT_NETWORK_ERROR: 101,
  LOGOUT_KICKED: 211,
  // Video call (seed §6)
  VIDEOCALL_REJECTED: 100104,
  // Multi-party rooms (NIM seed)
  ROOM_ALREADY_EXISTS: 417,
  // HTTP business gateway (seed: business HTTP API)
  GW_INVALID_PARAM: 100701,
  GW_APPID_UNKNOWN: 100702,
  GW_BODY_INVALID: 100703,
  GW_SIGNATURE_FAILED: 100704,
  GW_TIMESTAMP_INVALID: 100705,
  GW_OUT_OF_MEMORY: 100706,
  GW_EXCEPTION: 100707,
  GW_PROTOCOL_ERROR: 100708,
  GW_TIMEOUT: 100709,
  GW_FILE_MISSING: 100710,
  // Project codes (900xxx): console, signaling and host errors the seeds do not name
  BAD_REQUEST: 900400,
  UNAUTHORIZED: 900401,
  FORBIDDEN: 900403,
  NOT_FOUND: 900404,
  TOO_MANY_REQUESTS: 900429,
  INTERNAL: 900500,
  UNAVAILABLE: 900503,
  TIMEOUT: 900504,
} as const;

export type Code = (typeof Codes)[keyof typeof Codes];

/** Server application messages (seed §2.1): wParam = error code, lParam = server id. */
export const ServerMessages = {
  CORE_SERVER_CONN: 10,
  RECORD_SERVER_CONN: 11,
  LOGIN_SERVER_CONN: 12,
  ROOM_SERVER_CONN: 13,
  MEDIA_SERVER_CONN: 14,
} as const;

/** An error that carries a numeric code from this file and a human message. */
export class CodedError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'CodedError';
  }
}

export function isCodedError(e: unknown): e is CodedError {
  return e instanceof Error && typeof (e as CodedError).code === 'number';
}
