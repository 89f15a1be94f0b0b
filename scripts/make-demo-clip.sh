#!/usr/bin/env bash
# Makes the demo bots' sample clip (electron/demo/clip/): 6 s, looped by the bots.
# Provenance: generated entirely from ffmpeg's built-in test sources — `testsrc2` (moving colour
# pattern) with a `drawtext` clock (clip time, DejaVu Sans Mono) and an `aevalsrc` 440 Hz tone
# with a 4 Hz tremolo for the first 3 s of the loop, silence for the last 3 (bots that start half
# a loop apart take turns, so the audio level and the active-speaker view move).
# No third-party media. Containers are the simplest to parse without native code: IVF for VP8,
# Ogg for Opus (electron/demo/media/ivf.ts, ogg.ts).
#   VP8 320x240 15 fps ~200 kbit/s, a keyframe every second (frame 0 included: each loop starts
#   on one, and a PLI restarts the current second at its keyframe);
#   Opus 48 kHz mono 32 kbit/s, 20 ms frames.
set -euo pipefail
cd "$(dirname "$0")/.."
out=electron/demo/clip
mkdir -p "$out"
font=/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf
[ -f "$font" ] || font=$(fc-match -f '%{file}' monospace)
seconds=6
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "testsrc2=size=320x240:rate=15:duration=${seconds}" \
  -vf "drawtext=fontfile=${font}:text='AnyChat demo %{pts\\:hms}':x=8:y=h-30:fontsize=16:fontcolor=white:box=1:boxcolor=black@0.6" \
  -c:v libvpx -b:v 200k -minrate 100k -maxrate 300k -g 15 -keyint_min 15 -auto-alt-ref 0 -lag-in-frames 0 -deadline good -cpu-used 4 \
  -f ivf "$out/demo.ivf"
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "aevalsrc=0.4*sin(2*PI*440*t)*lt(mod(t\\,6)\\,3)*(0.6+0.4*sin(2*PI*4*t)):s=48000:d=${seconds}" \
  -c:a libopus -b:a 32k -frame_duration 20 -application audio -ac 1 \
  -f ogg "$out/demo.ogg"
ls -l "$out"
# Audio level per 20 ms packet (RFC 6464: -dBov, 0–127), measured on the encoded Opus stream
# decoded back, so the bots' ssrc-audio-level header matches what listeners hear.
ffmpeg -hide_banner -loglevel error -i "$out/demo.ogg" \
  -af "asetnsamples=n=960:p=0,astats=metadata=1:reset=1,ametadata=print:key=lavfi.astats.Overall.RMS_level:file=-" -f null - |
  sed -n 's/^lavfi.astats.Overall.RMS_level=//p' |
  awk 'BEGIN { printf "[" } { v = ($1 ~ /inf/) ? 127 : int(-$1 + 0.5); if (v > 127) v = 127; if (v < 0) v = 0; printf "%s%d", (NR > 1 ? "," : ""), v } END { print "]" }' \
  > "$out/demo.levels.json"
echo "levels: $(wc -c < "$out/demo.levels.json") bytes"
