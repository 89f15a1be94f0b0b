/** The SDK/console version reported by getSDKVersion and the console's About line. */
export const SDK_VERSION = '0.1.0';
export const SDK_BUILD_TIME = '2026-11-22';
