#!/usr/bin/env node
/**
 * Generates every app icon from the one source, build/icon.svg, with ImageMagick (Debian's
 * `imagemagick`; only needed to regenerate — the outputs are committed):
 *
 *   build/icons/NxN.png          Linux (AppImage, deb) icon set, window and notification icons
 *   build/icon.png               1024×1024
 *   build/icon.ico               Windows (NSIS): 16–256 px
 *   build/icon.icns              macOS (DMG): PNG-based entries 16–1024 px
 *   build/tray/tray.png, @2x     tray icon (Linux, Windows)
 *   build/tray/trayTemplate.png, @2x   macOS menu-bar template (black glyph on transparency)
 *
 *   node scripts/icons.mjs
 *
 * ICNS is written here (a header and PNG entries) because ImageMagick does not write it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const build = path.join(root, 'build');
const source = path.join(build, 'icon.svg');
const iconsDir = path.join(build, 'icons');
const trayDir = path.join(build, 'tray');
mkdirSync(iconsDir, { recursive: true });
mkdirSync(trayDir, { recursive: true });

const magick = ['magick', 'convert'].find((cmd) => spawnSync(cmd, ['-version']).status === 0);
if (!magick) {
  console.error('icons: ImageMagick is needed (apt-get install imagemagick)');
  process.exit(1);
}

function im(args) {
  const r = spawnSync(magick, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${magick} ${args.join(' ')}: ${r.stderr}`);
}

// Render once, large, then scale down: small sizes stay sharp and consistent.
const master = path.join(iconsDir, '1024x1024.png');
im(['-background', 'none', '-density', '384', source, '-resize', '1024x1024', '-depth', '8', '-strip', `PNG32:${master}`]);
const sizes = [16, 24, 32, 48, 64, 128, 256, 512];
for (const s of sizes) im([master, '-resize', `${s}x${s}`, '-strip', `PNG32:${path.join(iconsDir, `${s}x${s}.png`)}`]);
im([master, '-strip', `PNG32:${path.join(build, 'icon.png')}`]);
im([...[16, 24, 32, 48, 64, 128, 256].map((s) => path.join(iconsDir, `${s}x${s}.png`)), path.join(build, 'icon.ico')]);

// ICNS: 'icns' + total length, then per entry a type, its length (8 + data) and PNG data.
const icnsTypes = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
];
const entries = icnsTypes.map(([type, size]) => {
  const png = readFileSync(path.join(iconsDir, `${size}x${size}.png`));
  const head = Buffer.alloc(8);
  head.write(type, 0, 'ascii');
  head.writeUInt32BE(png.length + 8, 4);
  return Buffer.concat([head, png]);
});
const body = Buffer.concat(entries);
const header = Buffer.alloc(8);
header.write('icns', 0, 'ascii');
header.writeUInt32BE(body.length + 8, 4);
writeFileSync(path.join(build, 'icon.icns'), Buffer.concat([header, body]));

// Tray: the full icon for Linux/Windows; for macOS a template image, the white glyph as a black shape.
for (const [name, size] of [
  ['tray.png', 16],
  ['tray@2x.png', 32],
])
  im([master, '-resize', `${size}x${size}`, '-strip', `PNG32:${path.join(trayDir, name)}`]);
for (const [name, size] of [
  ['trayTemplate.png', 16],
  ['trayTemplate@2x.png', 32],
]) {
  im([
    master,
    '-resize',
    `${size}x${size}`,
    '-alpha',
    'off',
    '-colorspace',
    'gray',
    '-threshold',
    '80%',
    '-alpha',
    'copy',
    '-channel',
    'RGB',
    '-evaluate',
    'set',
    '0',
    '+channel',
    '-strip',
    `PNG32:${path.join(trayDir, name)}`,
  ]);
}
console.log(`icons: written from ${path.relative(root, source)} to build/icons, build/tray, build/icon.{png,ico,icns}`);
