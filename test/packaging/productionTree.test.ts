import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nativeAddonFiles, nativeAddonsInProductionTree, productionPackages } from './productionTree';

const root = path.resolve(import.meta.dirname, '../..');

function fakePackage(dir: string, pkg: Record<string, unknown>, files: Record<string, string> = {}): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
}

describe('production dependency tree', () => {
  it('holds no binding.gyp, *.node file or prebuilds/ folder (Electron and Node share one npm ci)', () => {
    const walked = productionPackages(root);
    expect(walked.length).toBeGreaterThan(5);
    // npm's own view too (it may also list extraneous packages, e.g. what the `node` package's
    // installer adds): every package either view ships is checked.
    const r = spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: root, encoding: 'utf8' });
    const listed = r.stdout
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && l !== root);
    expect(listed.length).toBeGreaterThan(5);
    for (const dir of walked) expect(listed).toContain(dir);
    const addons = [...new Set([...walked, ...listed])].flatMap((dir) => nativeAddonFiles(dir).map((f) => path.relative(root, f)));
    expect(addons).toEqual([]);
    expect(nativeAddonsInProductionTree(root)).toEqual([]);
  });

  it('finds an addon planted anywhere in the tree, and ignores devDependencies', () => {
    const app = mkdtempSync(path.join(os.tmpdir(), 'prod-tree-'));
    fakePackage(app, { name: 'app', dependencies: { a: '1' }, devDependencies: { dev: '1' } });
    fakePackage(path.join(app, 'node_modules/a'), { name: 'a', dependencies: { b: '1', c: '1' } });
    fakePackage(path.join(app, 'node_modules/a/node_modules/b'), { name: 'b' }, { 'binding.gyp': '{}' });
    fakePackage(
      path.join(app, 'node_modules/c'),
      { name: 'c', optionalDependencies: { missing: '1' } },
      { 'build/Release/c.node': '', 'prebuilds/linux-x64/x.txt': '' },
    );
    fakePackage(path.join(app, 'node_modules/dev'), { name: 'dev' }, { 'binding.gyp': '{}' });
    expect(nativeAddonsInProductionTree(app).sort()).toEqual(
      ['node_modules/a/node_modules/b/binding.gyp', 'node_modules/c/build/Release/c.node', 'node_modules/c/prebuilds']
        .map((p) => p.split('/').join(path.sep))
        .sort(),
    );
  });

  it('a missing required dependency is an error, not a silent pass', () => {
    const app = mkdtempSync(path.join(os.tmpdir(), 'prod-tree-'));
    fakePackage(app, { name: 'app', dependencies: { gone: '1' } });
    expect(() => productionPackages(app)).toThrow(/gone .* not installed/);
  });
});
