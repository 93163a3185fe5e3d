import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { itLoadsInNode } from '../../../test-support/loads.js';

describe('built package', () => {
  itLoadsInNode(fileURLToPath(new URL('..', import.meta.url)), { '.': ['Sequential', 'SGD', 'Adam', 'AdamW', 'RMSprop', 'getOptimizer', 'EarlyStopping', 'Callback', 'History', 'NonFiniteLossError'] });
});
