import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

// The isomorphic packages must bundle for a browser: no Node built-ins anywhere in their graph.
describe('isomorphic packages', () => {
  it('bundle for the browser platform with no Node built-ins', async () => {
    const result = await build({
      stdin: {
        contents: [
          "export * from '@scratchnet/tensor';",
          "export * from '@scratchnet/backend';",
          "export { CpuBackend } from '@scratchnet/backend-cpu';",
          "export * from '@scratchnet/layers';",
          "export * from '@scratchnet/model';",
          "export * from '@scratchnet/model/tfjs';",
          "export * as layersTesting from '@scratchnet/layers/testing';",
        ].join('\n'),
        resolveDir: new URL('.', import.meta.url).pathname,
        loader: 'ts',
      },
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'esm',
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    const code = result.outputFiles[0]!.text;
    expect(code).not.toMatch(/from\s*["']node:|require\(["'](node:|fs|os|path|worker_threads)/);
  });
});
