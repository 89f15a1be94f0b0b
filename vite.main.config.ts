/**
 * Builds the main-process code (Electron shell, headless host, media worker) for Node:
 * one ESM bundle per entry, every npm dependency and Node built-in left external.
 */
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';

const entries: Record<string, string> = {
  main: 'electron/main.ts',
  host: 'electron/host/index.ts',
};
if (existsSync('electron/media/worker/mediaWorker.ts')) entries.mediaWorker = 'electron/media/worker/mediaWorker.ts';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
const deps = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})];
const external = (id: string) => id.startsWith('node:') || builtinModules.includes(id) || deps.some((d) => id === d || id.startsWith(`${d}/`));

export default defineConfig({
  build: {
    ssr: true,
    target: 'node20',
    outDir: 'out/main',
    emptyOutDir: true,
    sourcemap: true,
    minify: false,
    rollupOptions: {
      input: entries,
      external,
      output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
    },
  },
  ssr: { noExternal: [] },
});
