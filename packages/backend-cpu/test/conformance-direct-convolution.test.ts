import { describeConformance, type TestApi } from '@scratchnet/backend/testing';
import { it } from 'vitest';
import { CpuBackend } from '@scratchnet/backend-cpu';

/** The suite's convolution groups only (the rest does not depend on the algorithm). */
function convolutionGroups(): TestApi {
  const path: string[] = [];
  return {
    describe(name, fn) {
      path.push(name);
      fn();
      path.pop();
    },
    it(name, fn) {
      const here = [...path, name].join(' > ');
      if (/> conv2d >|conv2dBackprop|convolution and pooling/.test(here)) it(here, fn);
    },
  };
}

// The default (im2col) runs the whole suite in conformance.test.ts; the direct loops pass the
// convolution groups too.
describeConformance('cpu, direct convolution', () => new CpuBackend({ convolution: 'direct' }), convolutionGroups());
