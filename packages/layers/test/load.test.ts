import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { itLoadsInNode } from '../../../test-support/loads.js';

describe('built package', () => {
  itLoadsInNode(fileURLToPath(new URL('..', import.meta.url)), {
    '.': ['Dense', 'ReLU', 'Softmax', 'Dropout', 'Layer', 'heNormal', 'getLoss', 'softmaxCrossentropy', 'categoricalCrossentropy', 'BufferCache'],
    './testing': ['numericGradient', 'compareGradients', 'assertGradient', 'checkLayerGradients', 'checkLossGradient', 'GradientCheckError'],
  });
});
