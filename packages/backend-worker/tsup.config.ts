import { defineConfig } from 'tsup';

export default defineConfig({
  // The worker script is an entry of its own: Node starts it by path (dist/worker-entry.js). The
  // browser entry is one too; its Web Worker scripts are strings inside it (src/generated).
  entry: ['src/index.ts', 'src/browser.ts', 'src/worker-entry.ts'],
  format: ['esm'],
  // No dts here: tsc writes one .d.ts per source file (tsconfig.build.json), not hashed chunks.
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // Each entry self-contained: the worker script must not depend on a chunk file that a
  // bundler or copier could leave behind.
  splitting: false,
});
