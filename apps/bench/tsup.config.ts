import { defineConfig } from 'tsup';

export default defineConfig({
  // core-wait is also an entry of its own, for scripts/order-effect.mjs.
  entry: ['src/cli.ts', 'src/core-wait.ts'],
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'node20',
  banner: { js: '#!/usr/bin/env node' },
});
