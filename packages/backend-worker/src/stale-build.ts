import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BackendError } from '@scratchnet/backend';
import { sourceHash } from './source-hash.js';

/**
 * The packages whose built code a worker thread runs: the cpu kernels, the spec helpers they
 * import, and this package's own worker script.
 */
const RUN_IN_WORKERS = ['@scratchnet/backend-cpu', '@scratchnet/backend', '@scratchnet/backend-worker'] as const;

let checked: BackendError | null | undefined;

/**
 * Throws a BackendError if a package a worker runs was built from other sources than its src/
 * holds now. Workers load the built dist/ (Node cannot start a thread from TypeScript), while a
 * test on the calling thread may run the sources: a stale build would make the two disagree
 * silently. Installed packages ship the src/ their dist/ came from, so the check passes there;
 * without a src/ (or a build record) there is nothing to compare. Done once per process.
 */
export function assertWorkersRunCurrentBuild(): void {
  if (checked === undefined) {
    const require = createRequire(import.meta.url);
    checked = findStaleBuild(RUN_IN_WORKERS.map((name) => ({ name, dir: packageDir(require, name) })));
  }
  if (checked !== null) throw checked;
}

/** The first package whose dist/ was not built from its current src/, as an error; null if none. */
export function findStaleBuild(packages: ReadonlyArray<{ name: string; dir: string | null }>): BackendError | null {
  for (const { name, dir } of packages) {
    if (dir === null) continue;
    const src = path.join(dir, 'src');
    const recordFile = path.join(dir, 'dist', 'source-hash.json');
    if (!existsSync(src)) continue;
    if (!existsSync(recordFile)) {
      return new BackendError(
        `worker backend: ${name} has sources but no build record (${recordFile}); build it (pnpm build) before starting worker threads`,
      );
    }
    const built = (JSON.parse(readFileSync(recordFile, 'utf8')) as { hash?: unknown }).hash;
    if (built !== sourceHash(src).hash) {
      return new BackendError(
        `worker backend: the built ${name} (dist/) is older than its sources (${src} changed since the last build), ` +
          'so worker threads would run stale kernels; rebuild it: pnpm build',
      );
    }
  }
  return null;
}

/** The installed directory of `name`, as Node resolves it for a worker (no custom conditions). */
function packageDir(require: NodeJS.Require, name: string): string | null {
  if (name === '@scratchnet/backend-worker') return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  try {
    return path.dirname(require.resolve(`${name}/package.json`));
  } catch {
    return null;
  }
}
