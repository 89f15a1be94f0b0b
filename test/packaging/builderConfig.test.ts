/**
 * The installer configuration, loaded and validated by electron-builder's own code (its config
 * loader and JSON schema), then checked for what the desktop app needs: identity, every target,
 * icons that exist, the fuses, the deb's metadata, and files it reads at run time.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Configuration } from 'electron-builder';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
// app-builder-lib is electron-builder's own implementation; resolve it from there.
const fromBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder/package.json'));
const { getConfig, validateConfiguration } = fromBuilder('app-builder-lib/out/util/config/config') as {
  getConfig(projectDir: string, configPath: string | null, fromOptions: null): Promise<Configuration>;
  validateConfiguration(config: Configuration, logger: unknown): Promise<void>;
};
const { DebugLogger } = fromBuilder('builder-util') as { DebugLogger: new (enabled?: boolean) => unknown };

async function loadBuilderConfig(): Promise<Configuration> {
  const config = await getConfig(root, null, null);
  await validateConfiguration(config, new DebugLogger(false));
  return config;
}

function targets(t: unknown): string[] {
  const list = Array.isArray(t) ? t : [t];
  return list.map((x) => (typeof x === 'string' ? x : (x as { target: string }).target));
}

const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, unknown>;

describe('electron-builder config', () => {
  it("passes electron-builder's schema and names the app", async () => {
    const c = await loadBuilderConfig();
    expect(c.appId).toBe('com.anychat.console');
    expect(c.productName).toBe('AnyChat Console');
    expect(c.productName).toBe(pkg.productName);
    expect(c.extraMetadata?.main).toBe(pkg.main);
  });

  it('the schema check is real: a misspelt key is refused', async () => {
    const c = await getConfig(root, null, null);
    await expect(validateConfiguration({ ...c, electronFuse: { runAsNode: false } } as Configuration, new DebugLogger(false))).rejects.toThrow(/electronFuse/);
  });

  it('lists AppImage + deb, nsis and dmg', async () => {
    const c = await loadBuilderConfig();
    expect(targets(c.linux?.target)).toEqual(['AppImage', 'deb']);
    expect(targets(c.win?.target)).toEqual(['nsis']);
    expect(targets(c.mac?.target)).toEqual(['dmg']);
  });

  it('the deb has homepage, maintainer, category and depends on CJK fonts', async () => {
    const c = await loadBuilderConfig();
    expect(String(pkg.homepage)).toMatch(/^https:\/\//);
    expect(c.linux?.maintainer).toMatch(/<[^@\s]+@[^>\s]+>$/);
    expect(c.linux?.category).toBeTruthy();
    expect(c.deb?.depends).toContain('fonts-noto-cjk');
  });

  it('every icon it names exists, generated from the one SVG', async () => {
    const c = await loadBuilderConfig();
    const dir = path.join(root, c.directories?.buildResources ?? 'build');
    expect(existsSync(path.join(dir, 'icon.svg'))).toBe(true);
    for (const icon of [c.win?.icon, c.mac?.icon]) expect(existsSync(path.join(root, String(icon)))).toBe(true);
    const linuxIcons = path.join(root, String(c.linux?.icon));
    for (const size of [16, 32, 48, 64, 128, 256, 512]) expect(existsSync(path.join(linuxIcons, `${size}x${size}.png`))).toBe(true);
    // The formats are what their names say (magic numbers), not renamed PNGs.
    expect(readFileSync(path.join(root, String(c.win?.icon))).subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));
    expect(
      readFileSync(path.join(root, String(c.mac?.icon)))
        .subarray(0, 4)
        .toString('ascii'),
    ).toBe('icns');
    for (const tray of ['tray.png', 'tray@2x.png', 'trayTemplate.png', 'trayTemplate@2x.png']) expect(existsSync(path.join(dir, 'tray', tray))).toBe(true);
    for (const r of c.extraResources as { from: string }[]) expect(existsSync(path.join(root, r.from))).toBe(true);
  });

  it('flips the security fuses', async () => {
    const c = await loadBuilderConfig();
    expect(c.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('packs the built app in asar, unpacks the media worker and rebuilds nothing native', async () => {
    const c = await loadBuilderConfig();
    expect(c.asar).toBe(true);
    expect(c.asarUnpack).toContain('out/main/mediaWorker.js');
    expect(c.npmRebuild).toBe(false);
    const files = (c.files as (string | { filter?: string[] })[]).flatMap((f) => (typeof f === 'string' ? [f] : (f.filter ?? [])));
    expect(files).toEqual(expect.arrayContaining(['out/main/**', 'out/preload/**', 'out/renderer/**', '!**/*.map']));
    expect(JSON.stringify(c)).not.toMatch(/better-sqlite3|\*\.node/);
  });
});
