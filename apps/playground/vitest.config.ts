import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The browser test builds nothing itself (turbo builds first) but starts Chromium and trains.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
