/** The media engine's tuning numbers, named in one place (values as measured to work with Chrome/Firefox). */

/** Sender SSRC of the RTCP feedback the engine generates (RR, NACK, PLI, REMB). */
export const SERVER_SSRC = 0x4d53;
/** Bitrate announced in REMB to video senders without transport-cc: high enough never to throttle a LAN call. */
export const REMB_BPS = 3_000_000;
/** transport-cc feedback to senders that stamp transport-wide sequence numbers (Chrome expects ~every 50–100 ms). */
export const TWCC_FEEDBACK_INTERVAL_MS = 100;
/** Receiver/sender reports and simulcast layer re-evaluation. */
export const RTCP_INTERVAL_MS = 1000;
/** RTCP RR packets carry at most 31 report blocks (5-bit count). */
export const RR_MAX_REPORTS = 31;

/** Audio-level observer: averaging interval, silence floor (dBov) and how many speakers are reported. */
export const AUDIO_LEVEL_INTERVAL_MS = 800;
export const AUDIO_LEVEL_FLOOR_DBOV = -70;
export const AUDIO_LEVEL_MAX_ENTRIES = 8;

/** At most one PLI/FIR per stream in this window: a burst of consumers joining must not flood the sender. */
export const PLI_THROTTLE_MS = 300;
/** Packets kept for retransmission per consumer (≈1 s of video at 1k pkt/s; audio only with NACK). */
export const RTX_BUFFER_VIDEO = 1000;
export const RTX_BUFFER_AUDIO = 200;

/** A simulcast layer is available while it received media within this window; stats show 0 bps after it. */
export const LAYER_ACTIVE_MS = 2000;

/** Bitrate counters: window length, and after how long without a roll the rate reads 0. */
export const BITRATE_WINDOW_MS = 1000;
export const BITRATE_STALE_MS = 3000;

/** ICE consent checking: how often, and the defaults when settings do not say. */
export const CONSENT_CHECK_INTERVAL_MS = 1000;
export const DEFAULT_ICE_CONNECT_TIMEOUT_MS = 60_000;
export const DEFAULT_ICE_CONSENT_TIMEOUT_MS = 30_000;
