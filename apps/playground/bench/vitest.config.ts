import { defineConfig } from 'vitest/config';

// The bench alone (bench/*.test.ts): `pnpm --filter @scratchnet/playground bench`.
export default defineConfig({ test: { include: ['bench/**/*.test.ts'], testTimeout: 1_800_000, hookTimeout: 120_000 } });
