import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { itLoadsInNode } from '../../../test-support/loads.js';

describe('built package', () => {
  itLoadsInNode(fileURLToPath(new URL('..', import.meta.url)), {
    '.': ['tensor', 'matmul', 'Dense', 'Sequential', 'CpuBackend', 'setBackend'],
    './node': ['tensor', 'Sequential', 'WorkerBackend', 'saveModel', 'loadModel', 'fileSystemHandler'],
  });
});
