import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { itLoadsInNode } from '../../../test-support/loads.js';

describe('built ./node entry', () => {
  itLoadsInNode(fileURLToPath(new URL('..', import.meta.url)), {
    './node': ['fileSystemHandler', 'saveModel', 'loadModel', 'loadModelAndOptimizer', 'MANIFEST_FILE'],
    '.': ['saveModel', 'loadModel', 'memoryHandler', 'ModelFormatError', 'ModelIOError'],
    './tfjs': ['toTfjsArtifacts', 'fromTfjsArtifacts', 'registerTfjsLayer'],
  });
});
