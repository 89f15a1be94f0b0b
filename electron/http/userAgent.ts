/** A short "Browser major / OS" label from a User-Agent header, for session history ("client"). */
export function describeClient(ua: string | undefined): string {
  if (!ua) return '';
  const browser =
    /Edg\/(\d+)/.exec(ua)?.[1] !== undefined
      ? `Edge ${/Edg\/(\d+)/.exec(ua)![1]}`
      : /(?:Chrome|Chromium)\/(\d+)/.exec(ua)
        ? `Chrome ${/(?:Chrome|Chromium)\/(\d+)/.exec(ua)![1]}`
        : /Firefox\/(\d+)/.exec(ua)
          ? `Firefox ${/Firefox\/(\d+)/.exec(ua)![1]}`
          : /Version\/(\d+).*Safari/.exec(ua)
            ? `Safari ${/Version\/(\d+).*Safari/.exec(ua)![1]}`
            : null;
  const os = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad/.test(ua)
      ? 'iOS'
      : /Windows/.test(ua)
        ? 'Windows'
        : /Mac OS X/.test(ua)
          ? 'macOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : null;
  if (browser) return os ? `${browser} / ${os}` : browser;
  // Not a browser (SDK, bot, script): keep the product token, bounded.
  return ua.split(/[\s(]/)[0].slice(0, 40);
}
