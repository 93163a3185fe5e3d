import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

// The main entry must bundle for a browser: no Node built-ins in its graph. (Node's worker_threads
// is reached at run time through process.getBuiltinModule, only when threads > 1 in Node.)
describe('isomorphic main entry', () => {
  it('bundles for the browser platform with no Node built-ins, the kernel module inlined', async () => {
    const result = await build({
      stdin: {
        contents: "export { WasmBackend, WasmFeatureError, WasmMemoryError } from '@scratchnet/backend-wasm';",
        resolveDir: new URL('.', import.meta.url).pathname,
        loader: 'ts',
      },
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'esm',
      conditions: ['@scratchnet/source'],
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    const code = result.outputFiles[0]!.text;
    expect(code).not.toMatch(/from\s*["']node:|require\(["'](node:|fs|os|path|worker_threads)/);
    expect(code).toContain('KERNELS_WASM_BASE64');
  });
});
