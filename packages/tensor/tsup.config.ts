import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  // No dts here: tsc writes one .d.ts per source file (tsconfig.build.json), not hashed chunks.
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
