/**
 * The packaged app ships only package.json's dependencies (electron-builder drops
 * devDependencies), so every bare import the main-process bundles keep external must be a Node
 * built-in, `electron`, or a production dependency. Builds the main bundles (vite.main.config.ts)
 * into a temporary directory and reads their imports.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? jsFiles(path.join(dir, e.name)) : e.name.endsWith('.js') ? [path.join(dir, e.name)] : [],
  );
}

/** Static `import … from "x"`, `export … from "x"`, bare `import "x"` and literal `import("x")`. */
function bareImports(code: string): string[] {
  const found = new Set<string>();
  for (const re of [/^\s*(?:import|export)\b[^'"]*?\bfrom\s*["']([^"']+)["']/gm, /^\s*import\s*["']([^"']+)["']/gm, /\bimport\(\s*["']([^"']+)["']\s*\)/g]) {
    for (const m of code.matchAll(re)) if (!m[1].startsWith('.') && !m[1].startsWith('/')) found.add(m[1]);
  }
  return [...found];
}

function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

describe('main-process bundles', () => {
  it('reads imports the way the bundles write them', () => {
    expect(
      bareImports(
        'import { a } from "zod";\nimport x from \'./local.js\';\nexport { b } from "pino";\nimport "ws";\nconst m = await import("werift/nonstandard");',
      ),
    ).toEqual(['zod', 'pino', 'ws', 'werift/nonstandard']);
  });

  it('import only Node built-ins, electron and production dependencies', () => {
    const outDir = mkdtempSync(path.join(os.tmpdir(), 'main-bundle-'));
    const r = spawnSync('npx', ['vite', 'build', '--config', 'vite.main.config.ts', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const allowed = new Set([...Object.keys(pkg.dependencies), 'electron']);
    const builtins = new Set(builtinModules);
    const files = jsFiles(outDir);
    expect(files.map((f) => path.basename(f))).toEqual(expect.arrayContaining(['main.js', 'host.js', 'mediaWorker.js']));
    const offending: string[] = [];
    for (const file of files) {
      for (const spec of bareImports(readFileSync(file, 'utf8'))) {
        const isBuiltin = spec.startsWith('node:') || builtins.has(spec) || builtins.has(spec.split('/')[0]);
        if (!isBuiltin && !allowed.has(packageOf(spec))) offending.push(`${path.relative(outDir, file)} imports ${spec}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
