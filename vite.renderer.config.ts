/** Builds the renderer: the operator console (index.html) and the demo client page (demo/). */
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'renderer',
  // Relative asset URLs: the same build loads from file:// in Electron and from the host over HTTP.
  base: './',
  plugins: [react()],
  build: {
    outDir: path.resolve('out/renderer'),
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      input: {
        console: path.resolve('renderer/index.html'),
        demo: path.resolve('renderer/demo/index.html'),
      },
    },
  },
});
