/**
 * The production dependency tree, walked the way Node resolves it: from package.json's
 * dependencies (and optionalDependencies) through each package's own, looking in the nearest
 * node_modules up the tree. Used to prove the tree holds no native addon, which Electron's main
 * process could not load (a NODE_MODULE_VERSION mismatch) and electron-builder would rebuild.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

interface PackageJson {
  name?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

function readPackage(dir: string): PackageJson {
  return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as PackageJson;
}

/** The installed directory of `name` as seen from `fromDir`, or null when it is not installed. */
function locate(name: string, fromDir: string, root: string): string | null {
  let dir = fromDir;
  for (;;) {
    const cand = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(cand, 'package.json'))) return cand;
    if (dir === root) return null;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** Directories of every package in the production tree (the root's dependencies, transitively). */
export function productionPackages(root: string): string[] {
  const seen = new Set<string>();
  const queue: { name: string; from: string; optional: boolean }[] = [];
  const enqueue = (pkg: PackageJson, from: string) => {
    for (const name of Object.keys(pkg.dependencies ?? {})) queue.push({ name, from, optional: false });
    for (const name of Object.keys(pkg.optionalDependencies ?? {})) queue.push({ name, from, optional: true });
    // Installed peers ship with the app too (npm ≥ 7 installs non-optional peers).
    for (const name of Object.keys(pkg.peerDependencies ?? {})) queue.push({ name, from, optional: true });
  };
  enqueue(readPackage(root), root);
  while (queue.length) {
    const { name, from, optional } = queue.shift()!;
    const dir = locate(name, from, root);
    if (!dir) {
      if (optional) continue;
      throw new Error(`production dependency ${name} (needed by ${path.relative(root, from) || 'the app'}) is not installed: run npm ci`);
    }
    if (seen.has(dir)) continue;
    seen.add(dir);
    enqueue(readPackage(dir), dir);
  }
  return [...seen].sort();
}

/** Native-addon markers in one package's own files (nested node_modules are packages of their own). */
export function nativeAddonFiles(pkgDir: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name === 'node_modules') continue;
        if (entry.name === 'prebuilds') found.push(full);
        walk(full);
      } else if (entry.name === 'binding.gyp' || entry.name.endsWith('.node')) {
        found.push(full);
      } else if (entry.isSymbolicLink() && statSync(full, { throwIfNoEntry: false })?.isDirectory()) {
        /* a linked directory is another package's; it is walked as that package */
      }
    }
  };
  walk(pkgDir);
  return found;
}

/** Every native-addon marker in the production tree, relative to the root. */
export function nativeAddonsInProductionTree(root: string): string[] {
  return productionPackages(root).flatMap((dir) => nativeAddonFiles(dir).map((f) => path.relative(root, f)));
}
