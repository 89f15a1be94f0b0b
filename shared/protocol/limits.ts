/** Size limits of the client protocol (seed: AnyChat Server SDK §3.21–3.25). Sizes are decoded bytes. */
export const ProtocolLimits = {
  /** sendSDKFilterData, transBuffer, SendBufToUser/Room. */
  MAX_BUFFER_BYTES: 1024,
  /** transBufferEx. */
  MAX_BUFFER_EX_BYTES: 1024 * 1024,
  /** One transfer chunk (transBufferEx and files travel in chunks of at most this). */
  TRANSFER_CHUNK_BYTES: 64 * 1024,
  /** sendTextMessage text, in UTF-16 code units. */
  MAX_TEXT_CHARS: 4096,
  /** sendTextMessage text in UTF-8 bytes: it must fit textmsg_notify's textmsg (seed: 8192 bytes). */
  MAX_TEXT_BYTES: 8192,
  /** userName / password / nickName / room name. */
  MAX_NAME_CHARS: 128,
  /** userStr in videoCall / userInfoControl strValue. */
  MAX_USER_STR_CHARS: 1024,
} as const;

/** Video call event types (seed §6.2). */
export const VideoCallEvent = { REQUEST: 1, REPLY: 2, START: 3, FINISH: 4 } as const;

/** User-info control codes (seed §3.30). */
export const UserInfoCtrl = {
  KICKOUT: 1,
  SYNCDATA: 2,
  ADDGROUP: 20,
  DELGROUP: 21,
  ADDFRIEND: 22,
  DELFRIEND: 23,
  SETGROUPRELATION: 24,
  APPDEFINE: 100,
} as const;
