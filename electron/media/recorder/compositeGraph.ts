/**
 * The ffmpeg filter graph of a composed recording: every source's recorded parts placed at their
 * time offsets, videos laid out on one canvas, audio mixed. Pure (unit-tested); RoomRecording
 * runs it.
 */

export interface CompositePart {
  /** which source (publisher); 0 is the main source for pip/abreast/stereo layouts */
  source: number;
  /** seconds from the start of the composed recording */
  offset: number;
  hasVideo: boolean;
  hasAudio: boolean;
}

/**
 * grid: every source in an equal cell (room recording); pip: the main source full frame, the
 * others small in the bottom-right corner (0x20); abreast: side by side (0x100); single: the main only.
 */
export type VideoLayout = 'grid' | 'pip' | 'abreast' | 'single';
/** mix: every source mixed (0x10); stereo: the main source left, the others right (0x200); main: the main only */
export type AudioLayout = 'mix' | 'stereo' | 'main';

export interface CompositeLayout {
  width: number;
  height: number;
  fps: number;
  video: VideoLayout;
  audio: AudioLayout;
}

export interface Cell {
  x: number;
  y: number;
  w: number;
  h: number;
}

const even = (v: number) => Math.max(2, Math.floor(v / 2) * 2);

/** Cells for `n` sources (even sizes: encoders want them). */
export function layoutCells(n: number, layout: CompositeLayout): Cell[] {
  const { width: W, height: H } = layout;
  if (n === 0) return [];
  if (layout.video === 'single' || n === 1) return [{ x: 0, y: 0, w: W, h: H }];
  if (layout.video === 'pip') {
    const w = even(W / 4);
    const h = even(H / 4);
    return [{ x: 0, y: 0, w: W, h: H }, ...Array.from({ length: n - 1 }, (_, i) => ({ x: W - (w + 8) * (i + 1), y: H - h - 8, w, h }))];
  }
  if (layout.video === 'abreast') {
    const w = even(W / n);
    return Array.from({ length: n }, (_, i) => ({ x: i * w, y: 0, w, h: H }));
  }
  const cols = Math.ceil(Math.sqrt(n));
  const rows = Math.ceil(n / cols);
  const w = even(W / cols);
  const h = even(H / rows);
  return Array.from({ length: n }, (_, i) => ({ x: (i % cols) * w, y: Math.floor(i / cols) * h, w, h }));
}

/**
 * Inputs: 0 = the black canvas, 1 = silence, 2… = the parts in `parts` order.
 * Outputs [vout] and [aout].
 */
export function buildFilterGraph(parts: CompositePart[], sources: number, layout: CompositeLayout): string {
  const g: string[] = [];
  const cells = layoutCells(layout.video === 'single' ? 1 : sources, layout);
  let base = '[0:v]';
  parts.forEach((p, k) => {
    if (!p.hasVideo || (layout.video === 'single' && p.source !== 0)) return;
    const c = cells[layout.video === 'single' ? 0 : p.source];
    g.push(
      `[${k + 2}:v]setpts=PTS-STARTPTS+${p.offset.toFixed(3)}/TB,fps=${layout.fps},scale=${c.w}:${c.h}:force_original_aspect_ratio=decrease,pad=${c.w}:${c.h}:(ow-iw)/2:(oh-ih)/2[pv${k}]`,
    );
    g.push(`${base}[pv${k}]overlay=${c.x}:${c.y}:eof_action=pass[cv${k}]`);
    base = `[cv${k}]`;
  });
  g.push(`${base}format=yuv420p[vout]`);

  const audio = parts.map((p, k) => ({ p, k })).filter(({ p }) => p.hasAudio && (layout.audio !== 'main' || p.source === 0));
  const delayed = (k: number, offset: number, name: string) => {
    const ms = Math.round(offset * 1000);
    g.push(`[${k + 2}:a]aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,adelay=${ms}|${ms}[${name}]`);
  };
  const mix = (labels: string[], out: string, extra = '') =>
    // amix divides by its input count; volume gives each source its level back
    g.push(`[1:a]${labels.join('')}amix=inputs=${labels.length + 1}:duration=first:dropout_transition=0,volume=${labels.length + 1}${extra}[${out}]`);
  if (layout.audio === 'stereo') {
    const left = audio.filter(({ p }) => p.source === 0);
    const right = audio.filter(({ p }) => p.source !== 0);
    left.forEach(({ p, k }) => delayed(k, p.offset, `la${k}`));
    right.forEach(({ p, k }) => delayed(k, p.offset, `ra${k}`));
    g.push('[1:a]asplit=2[sl][sr]');
    const side = (list: typeof audio, pre: string, sil: string, out: string) =>
      g.push(
        `[${sil}]${list.map(({ k }) => `[${pre}${k}]`).join('')}amix=inputs=${list.length + 1}:duration=first:dropout_transition=0,volume=${list.length + 1},pan=mono|c0=0.5*c0+0.5*c1[${out}]`,
      );
    side(left, 'la', 'sl', 'l');
    side(right, 'ra', 'sr', 'r');
    g.push('[l][r]join=inputs=2:channel_layout=stereo:map=0.0-FL|1.0-FR[aout]');
  } else {
    audio.forEach(({ p, k }) => delayed(k, p.offset, `a${k}`));
    mix(
      audio.map(({ k }) => `[a${k}]`),
      'aout',
    );
  }
  return g.join(';');
}

/** A stream of a live composition's SDP input: which source it shows, its kind, its index in the SDP. */
export interface LiveStream {
  source: number;
  kind: 'audio' | 'video';
  index: number;
}

/**
 * The graph of a live composition segment. Its only input is the SDP (input 0, streams by index):
 * the black canvas and the silence are sources inside the graph. (As ffmpeg inputs of their own,
 * ffmpeg 5.1 kept feeding the always-ready canvas and starved the SDP input, or, paced with -re,
 * lagged seconds behind.) The live streams set the pace (overlay and amix wait for them); a segment
 * without live video or audio paces the canvas or the silence with (a)realtime. Outputs [vout], [aout].
 */
export function buildLiveGraph(streams: LiveStream[], sources: number, layout: CompositeLayout): string {
  const g: string[] = [];
  const cells = layoutCells(layout.video === 'single' ? 1 : sources, layout);
  const video = streams.filter((s) => s.kind === 'video' && (layout.video !== 'single' || s.source === 0));
  const audio = streams.filter((s) => s.kind === 'audio' && (layout.audio !== 'main' || s.source === 0));
  g.push(`color=c=black:s=${layout.width}x${layout.height}:r=${layout.fps}${video.length === 0 ? ',realtime' : ''}[canvas]`);
  g.push(`anullsrc=r=48000:cl=stereo${audio.length === 0 ? ',arealtime' : ''}[silence]`);
  let base = '[canvas]';
  for (const s of video) {
    const c = cells[layout.video === 'single' ? 0 : s.source];
    const k = s.index;
    g.push(`[0:${k}]fps=${layout.fps},scale=${c.w}:${c.h}:force_original_aspect_ratio=decrease,pad=${c.w}:${c.h}:(ow-iw)/2:(oh-ih)/2[pv${k}]`);
    g.push(`${base}[pv${k}]overlay=${c.x}:${c.y}:eof_action=pass:repeatlast=1[cv${k}]`);
    base = `[cv${k}]`;
  }
  g.push(`${base}format=yuv420p[vout]`);
  const silence = 'silence';
  // async resampling fills the gaps a lost packet leaves, so the mix keeps the wall clock
  const prep = (s: LiveStream, name: string) => g.push(`[0:${s.index}]aresample=48000:async=1000,aformat=sample_fmts=fltp:channel_layouts=stereo[${name}]`);
  const mix = (silence: string, labels: string[], out: string, extra = '') =>
    g.push(`[${silence}]${labels.join('')}amix=inputs=${labels.length + 1}:duration=first:dropout_transition=0,volume=${labels.length + 1}${extra}[${out}]`);
  if (layout.audio === 'stereo') {
    const left = audio.filter((s) => s.source === 0);
    const right = audio.filter((s) => s.source !== 0);
    for (const s of audio) prep(s, `a${s.index}`);
    g.push(`[${silence}]asplit=2[sl][sr]`);
    const mono = ',pan=mono|c0=0.5*c0+0.5*c1';
    mix(
      'sl',
      left.map((s) => `[a${s.index}]`),
      'l',
      mono,
    );
    mix(
      'sr',
      right.map((s) => `[a${s.index}]`),
      'r',
      mono,
    );
    g.push('[l][r]join=inputs=2:channel_layout=stereo:map=0.0-FL|1.0-FR[aout]');
  } else {
    for (const s of audio) prep(s, `a${s.index}`);
    mix(
      silence,
      audio.map((s) => `[a${s.index}]`),
      'aout',
    );
  }
  return g.join(';');
}

/**
 * The composed output's encoders, one for both composers: the graph's [vout]/[aout] as VP8
 * (realtime, a keyframe every 2 s) and stereo Opus. Live adds `-lag-in-frames 0`, so the encoder
 * emits each frame as it arrives instead of holding a look-ahead window.
 */
export function composedEncoderArgs(fps: number, o: { live: boolean }): string[] {
  return [
    ...['-map', '[vout]', '-map', '[aout]'],
    ...['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '1M', '-g', String(fps * 2)],
    ...(o.live ? ['-lag-in-frames', '0'] : []),
    ...['-c:a', 'libopus', '-b:a', '64k', '-ac', '2'],
  ];
}
