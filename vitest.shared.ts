import { defineConfig } from 'vitest/config';

/**
 * One vitest config for every package. Workspace packages resolve to their `src/` through the
 * `@scratchnet/source` export condition, so a test sees edits in a sibling package without a
 * rebuild; the built `dist/` is exercised by each package's `load.test.ts` and by Node itself.
 */
const conditions = ['@scratchnet/source', 'module', 'node', 'development|production'];

export function sharedConfig(extra: { testTimeout?: number } = {}) {
  return defineConfig({
    resolve: { conditions },
    ssr: { resolve: { conditions } },
    test: {
      include: ['test/**/*.test.ts'],
      // A hang fails at this bound; real work on a shared 2-core machine can take several times
      // its quiet-machine time, so the bound is generous.
      testTimeout: extra.testTimeout ?? 120_000,
    },
  });
}
