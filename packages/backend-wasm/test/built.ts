import type * as Source from '../src/index.js';

/**
 * The package as built: worker threads start from dist/thread-entry.js, which only exists after
 * a build, so the threaded tests exercise dist/ (turbo runs `build` before `test`). Imported by
 * URL so that type-checking the tests does not depend on a build: the types are the sources'.
 */
const built = (await import(new URL('../dist/index.js', import.meta.url).href)) as typeof Source;

export const { WasmBackend, DEFAULT_INLINE_THRESHOLDS } = built;
export type WasmBackend = Source.WasmBackend;
