import { defineConfig } from 'tsup';

export default defineConfig({
  // The worker script is an entry of its own: Node starts it by path (dist/worker-entry.js).
  entry: ['src/index.ts', 'src/worker-entry.ts'],
  format: ['esm'],
  dts: { entry: 'src/index.ts' },
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // Each entry self-contained: the worker script must not depend on a chunk file that a
  // bundler or copier could leave behind.
  splitting: false,
});
