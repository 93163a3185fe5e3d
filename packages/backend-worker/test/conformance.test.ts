import { describeConformance } from '@scratchnet/backend/testing';
import { describe, it } from 'vitest';
import { DEFAULT_INLINE_THRESHOLDS, WorkerBackend } from './built.js';

// Element counts whose work lands just below and just above the default elementwise thresholds
// (cost 1 per element for add, fill, copy; more for exp and the optimizers), so that the default
// configuration is checked on both sides of its inline threshold.
const around = (work: number): number[] => [Math.max(1, Math.floor(work) - 1), Math.ceil(work) + 1, Math.ceil(work * 3) + 7];
const extraSizes = [...new Set([...around(DEFAULT_INLINE_THRESHOLDS.binary), ...around(DEFAULT_INLINE_THRESHOLDS.adam / 15)])];
// Matmuls around the default threshold (2·n·k per row): m rows of a 64×64 product.
const matmulRows = Math.ceil(DEFAULT_INLINE_THRESHOLDS.matmul / (2 * 64 * 64));
const extraMatmulShapes = [
  [Math.max(1, matmulRows - 1), 64, 64],
  [matmulRows + 5, 64, 64],
] as const;

describeConformance('worker, 1 thread', () => new WorkerBackend({ threads: 1 }), { describe, it });
describeConformance('worker, 2 threads, default thresholds', () => new WorkerBackend({ threads: 2 }), { describe, it }, {
  extraSizes,
  extraMatmulShapes,
});
describeConformance('worker, 2 threads, everything split', () => new WorkerBackend({ threads: 2, inlineThreshold: 0 }), { describe, it });
describeConformance('worker, 4 threads, everything split', () => new WorkerBackend({ threads: 4, inlineThreshold: 0 }), { describe, it });
