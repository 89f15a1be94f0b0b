/**
 * The SDP an external ffmpeg reads to receive a live composition's streams: one m= line per
 * forwarded producer, on its own loopback port (ffmpeg takes port + 1 for RTCP). Pure.
 */

export interface SdpStream {
  kind: 'audio' | 'video';
  port: number;
  payloadType: number;
  /** e.g. video/VP8, audio/opus, video/H264 */
  mimeType: string;
  clockRate: number;
  channels?: number;
  /** fmtp parameters (H264: packetization-mode, profile-level-id) */
  parameters?: Record<string, string | number>;
}

export function buildSdp(streams: SdpStream[], host = '127.0.0.1'): string {
  const lines = ['v=0', `o=- 0 0 IN IP4 ${host}`, 's=AnyChat live composition', `c=IN IP4 ${host}`, 't=0 0'];
  for (const s of streams) {
    const codec = s.mimeType.split('/')[1];
    lines.push(`m=${s.kind} ${s.port} RTP/AVP ${s.payloadType}`);
    lines.push(`a=rtpmap:${s.payloadType} ${codec}/${s.clockRate}${s.kind === 'audio' && s.channels ? `/${s.channels}` : ''}`);
    const fmtp = Object.entries(s.parameters ?? {}).filter(([k]) => k !== 'apt');
    if (fmtp.length) lines.push(`a=fmtp:${s.payloadType} ${fmtp.map(([k, v]) => `${k}=${v}`).join(';')}`);
    lines.push('a=recvonly');
  }
  return `${lines.join('\r\n')}\r\n`;
}
