import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { build, type BuildOptions } from 'esbuild';
import { describe, expect, inject, it } from 'vitest';
import { run } from './support/run.js';
import { entrySpecifiers, publishedPackages } from './support/workspace.js';

const { app } = inject('installed');

const browser: BuildOptions = { absWorkingDir: app, bundle: true, write: false, platform: 'browser', logLevel: 'silent', metafile: true };
/** Entries that are Node-only by design (worker_threads, the file system). */
const NODE_ONLY = new Set(['@scratchnet/backend-worker', '@scratchnet/model/node', 'scratchnet/node']);

function importedBuiltins(metafile: { inputs: Record<string, { imports: { path: string; external?: boolean }[] }> }): string[] {
  return Object.values(metafile.inputs).flatMap((input) => input.imports.filter((i) => i.path.startsWith('node:') || i.external === true).map((i) => i.path));
}

describe('an esbuild browser bundle of the installed packages', () => {
  it('has no Node built-in, runs with no Node globals, and computes on the default cpu backend', async () => {
    const result = await build({ ...browser, entryPoints: ['browser.js'], format: 'iife' });
    expect(result.errors).toEqual([]);
    expect(importedBuiltins(result.metafile!)).toEqual([]);
    const code = result.outputFiles![0]!.text;
    expect(code).not.toMatch(/\brequire\(|["']node:/);
    const printed: string[] = [];
    runInNewContext(code, { console: { log: (line: string) => printed.push(line) } });
    expect(printed).toHaveLength(1);
    expect(printed[0]).toMatch(/^backend cpu; rows sum to 1, 1, 1; classes \[[01] [01] [01]\]$/);
    // The bundle computes what the same program computes unbundled in Node.
    const inNode = run(process.execPath, ['browser.js'], { cwd: app });
    expect(inNode.stderr).toBe('');
    expect(inNode.stdout).toBe(`${printed[0]}\n`);
    // For the record in the test log, not asserted (sizes move with the code).
    console.log(`browser bundle: ${(code.length / 1024).toFixed(0)} KB, ${(gzipSync(code).length / 1024).toFixed(0)} KB gzip`);
  });

  it('every isomorphic entry bundles for the browser, and those that promise no side effects bundle to nothing when unused', async () => {
    for (const pkg of publishedPackages()) {
      for (const specifier of entrySpecifiers(pkg)) {
        if (NODE_ONLY.has(specifier)) continue;
        const result = await build({ ...browser, stdin: { contents: `import * as m from '${specifier}'; globalThis.m = m;`, resolveDir: app }, format: 'esm' });
        expect(result.errors, specifier).toEqual([]);
        expect(importedBuiltins(result.metafile!), specifier).toEqual([]);
        const bare = await build({ ...browser, stdin: { contents: `import '${specifier}';`, resolveDir: app }, format: 'esm' });
        const text = bare.outputFiles![0]!.text.trim();
        if (pkg.manifest.sideEffects === false) expect(text, `${specifier} is sideEffects: false`).toBe('');
        else expect(text, `${specifier}: its one side effect, the default cpu backend`).toMatch(/setBackend\(new CpuBackend\(\)\)/);
      }
    }
  });

  it('a minified bundle keeps the name of every error (a page shows error.name)', async () => {
    const contents = `
      import { ShapeError, DTypeError, ValueError, AllocationError, BackendError, ModelFormatError, ModelIOError, NonFiniteLossError } from 'scratchnet';
      const made = [
        new ShapeError('s'), new DTypeError('d'), new ValueError('v'), new AllocationError('a', { shape: [1], dtype: 'float32', bytes: 4n }),
        new BackendError('b'), new ModelFormatError('model.json', undefined, 'f'), new ModelIOError('i'),
        new NonFiniteLossError({ epoch: 0, batch: 0, epochs: 1, batches: 1, loss: NaN, lastFiniteLoss: null }),
      ];
      console.log(made.map((e) => e.name).join(' '));`;
    const result = await build({ ...browser, stdin: { contents, resolveDir: app }, format: 'iife', minify: true });
    expect(result.errors).toEqual([]);
    const printed: string[] = [];
    runInNewContext(result.outputFiles![0]!.text, { console: { log: (line: string) => printed.push(line) } });
    expect(printed).toEqual(['ShapeError DTypeError ValueError AllocationError BackendError ModelFormatError ModelIOError NonFiniteLossError']);
  });
});
