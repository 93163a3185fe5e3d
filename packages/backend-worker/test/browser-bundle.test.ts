import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { WEB_COMPUTE_SOURCE, WEB_SUPERVISOR_SOURCE } from '../src/generated/web-worker-sources.js';

// The browser entry must bundle for a browser: no Node built-in anywhere in its graph, its
// Web Worker scripts included (they are strings inside it).
describe('the browser entry, @scratchnet/backend-worker/browser', () => {
  it('bundles for the browser platform with no Node built-ins, its worker scripts inlined', async () => {
    const result = await build({
      stdin: {
        contents: "export { WorkerBackend, sharedAllocator, moveToShared, DEFAULT_INLINE_THRESHOLDS } from '@scratchnet/backend-worker/browser';",
        resolveDir: new URL('.', import.meta.url).pathname,
        loader: 'ts',
      },
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'esm',
      conditions: ['@scratchnet/source'],
      metafile: true,
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    const imports = Object.values(result.metafile!.inputs).flatMap((input) => input.imports.map((i) => i.path));
    expect(imports.filter((path) => path.startsWith('node:'))).toEqual([]);
    const code = result.outputFiles[0]!.text;
    expect(code).not.toMatch(/from\s*["']node:|require\(["'](node:|fs|os|path|url|worker_threads)/);
    // The worker scripts are in the bundle, and they too are free of Node.
    expect(code).toContain('scratchnet worker supervisor');
    for (const source of [WEB_COMPUTE_SOURCE, WEB_SUPERVISOR_SOURCE]) {
      expect(source.length).toBeGreaterThan(200);
      expect(source).not.toMatch(/\bnode:|\brequire\(|\bprocess\./);
    }
    // The compute script carries the cpu kernels themselves (one of their messages).
    expect(WEB_COMPUTE_SOURCE).toContain('runKernel');
  });

  it('the same check sees the Node entry reach worker_threads (so it can fail)', async () => {
    const result = await build({
      stdin: { contents: "export * from '@scratchnet/backend-worker';", resolveDir: new URL('.', import.meta.url).pathname, loader: 'ts' },
      bundle: true,
      write: false,
      platform: 'node',
      format: 'esm',
      conditions: ['@scratchnet/source'],
      metafile: true,
      logLevel: 'silent',
    });
    const imports = Object.values(result.metafile!.inputs).flatMap((input) => input.imports.map((i) => i.path));
    expect(imports).toContain('node:worker_threads');
  });
});
