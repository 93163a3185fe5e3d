import { describeConformance } from '@scratchnet/backend/testing';
import { describe, it } from 'vitest';
import { DEFAULT_INLINE_THRESHOLDS, WasmBackend } from './built.js';

// Element counts whose work lands just below and just above the default SIMD elementwise and
// Adam thresholds, so that the default configuration is checked on both sides of them.
const around = (work: number): number[] => [Math.max(1, Math.floor(work) - 1), Math.ceil(work) + 1, Math.ceil(work * 3) + 7];
const extraSizes = [...new Set([...around(DEFAULT_INLINE_THRESHOLDS.binarySimd), ...around(DEFAULT_INLINE_THRESHOLDS.adam / 15)])];
// Matmuls around the default threshold (2·n·k per row): m rows of a 64×64 product.
const matmulRows = Math.ceil(DEFAULT_INLINE_THRESHOLDS.matmulRows / (2 * 64 * 64));
const extraMatmulShapes = [
  [Math.max(1, matmulRows - 1), 64, 64],
  [matmulRows + 5, 64, 64],
] as const;

describeConformance('wasm, 2 threads, default thresholds', () => new WasmBackend({ threads: 2 }), { describe, it }, { extraSizes, extraMatmulShapes });
describeConformance('wasm, 2 threads, everything split', () => new WasmBackend({ threads: 2, inlineThreshold: 0 }), { describe, it });
describeConformance('wasm, 4 threads, everything split', () => new WasmBackend({ threads: 4, inlineThreshold: 0 }), { describe, it });
