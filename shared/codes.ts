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
  // Business layer (9009xx): rooms, public mic seats and the mic queue (docs/business.md)
  ROOM_NOT_FOUND: 900901,
  ROOM_PASSWORD_WRONG: 900902,
  ROOM_FULL: 900903,
  /** Leave reason: an operator closed the room. Also refused: entering a room that is closing. */
  ROOM_CLOSED: 900904,
  /** A call room admits only the two parties of its call. */
  ROOM_PRIVATE: 900906,
  TOO_MANY_ROOMS: 900907,
  MIC_QUEUE_FULL: 900910,
  MIC_NOT_SEATED: 900911,
  MIC_NOT_QUEUED: 900912,
  MIC_BAD_ORDER: 900913,
  MIC_BAD_SEAT: 900914,
  /** Call rooms have no mic seats. */
  MIC_UNAVAILABLE: 900915,
  /** produce refused: an audience member needs a mic seat to publish. */
  PRODUCE_NEEDS_SEAT: 900920,
} as const;

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

/**
 * Project codes (900xxx) of the client signaling server and the business-server SDK.
 * Documented in docs/protocol.md.
 */
export const SignalingCodes = {
  /** Guest login (empty password) while the config forbids it. */
  GUEST_LOGIN_DISABLED: 900201,
  /** The user is banned (kicked with a ban that has not expired). */
  USER_BANNED: 900210,
  /** duplicateLogin = refuseNew and the user is already online. */
  ALREADY_LOGGED_IN: 900211,
  /** The method needs a logged-in session. */
  NOT_LOGGED_IN: 900220,
  /** The session is already logged in. */
  LOGIN_TWICE: 900221,
  /** The target user is not online. */
  USER_OFFLINE: 900222,
  /** The method needs the session to be in a room. */
  NOT_IN_ROOM: 900223,
  /** Unknown method name. */
  UNKNOWN_METHOD: 900405,
  /** A payload above its limit (buffer, text, file, chunk). */
  PAYLOAD_TOO_LARGE: 900413,
  /** Frame is not valid JSON / not a request object. */
  MALFORMED_FRAME: 900415,
  /** A user may have at most one call at a time (as caller or callee). */
  CALL_BUSY: 900601,
  /** No such call for this user / event. */
  CALL_NOT_FOUND: 900602,
  /** An unanswered call request ended after callTimeoutSeconds. */
  CALL_TIMEOUT: 900603,
  /** Unknown transfer task id. */
  TRANSFER_NOT_FOUND: 900701,
  /** A chunk whose offset is not the next expected byte. */
  TRANSFER_BAD_OFFSET: 900702,
  /** A transfer cancelled (sender logged out, cancel requested). */
  TRANSFER_CANCELLED: 900703,
  /** Media is not available (no media node plugged in, or no router for the room). */
  MEDIA_UNAVAILABLE: 900801,
  /** No recorder plugged in. */
  RECORDER_UNAVAILABLE: 900803,
  /** An upload over the user's or the server's quota of received files. */
  UPLOAD_QUOTA_EXCEEDED: 900416,
  /** Guests may not upload (signaling.guestUploads is off). */
  GUEST_UPLOADS_DISABLED: 900417,
  /** The server's disk is (nearly) full: writes are refused until space returns. */
  STORAGE_FULL: 900507,
  /** A recording stopped because the disk is full (the partial file is kept and indexed). */
  RECORDING_DISK_FULL: 900804,
  /** A recording stopped on another write or finishing error. */
  RECORDING_FAILED: 900805,
  /** Nothing was recorded (no keyframe / no packet arrived before the stop). */
  RECORDING_NO_MEDIA: 900806,
  /** Snapshot, mixed or room recording needs ffmpeg and none was found (recording.ffmpegPath, npm package, PATH). */
  RECORDING_NO_FFMPEG: 900807,
  /** The recording was cut by a host shutdown (the file is finished and indexed). */
  RECORDING_HOST_STOPPED: 900808,
  /** The recorded user's media went away (left, logged out, reloaded): the file is finished and indexed. */
  RECORDING_USER_LEFT: 900809,
} as const;
