import { defineConfig } from 'tsup';

export default defineConfig({
  // The thread script is an entry of its own: a worker starts it by URL (dist/thread-entry.js).
  entry: { index: 'src/index.ts', 'thread-entry': 'src/threads/thread-entry.ts' },
  format: ['esm'],
  // No dts here: tsc writes one .d.ts per source file (tsconfig.build.json), not hashed chunks.
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // Each entry self-contained: the thread script must not depend on a chunk a bundler could drop.
  splitting: false,
});
