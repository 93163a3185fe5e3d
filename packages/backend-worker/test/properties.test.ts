import { describeOpProperties } from '../../../test-support/op-properties.js';
import { WorkerBackend } from './built.js';

// Everything split over two threads, so random shapes land on every side of the split.
describeOpProperties('worker, 2 threads, everything split', () => new WorkerBackend({ threads: 2, inlineThreshold: 0 }));
