import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { itLoadsInNode } from '../../../test-support/loads.js';

describe('built package', () => {
  itLoadsInNode(fileURLToPath(new URL('..', import.meta.url)), { '.': ['WasmBackend', 'WasmFeatureError', 'WasmMemoryError', 'WasmHeap', 'DEFAULT_INLINE_THRESHOLDS'] });
});
