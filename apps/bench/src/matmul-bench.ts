import type { Contender, MatmulDType } from './contenders/contender.js';
import { secondsPerCall, type TimingOptions } from './timing.js';

export interface MatmulShape {
  label: string;
  m: number;
  k: number;
  n: number;
}

/** The shapes the issue names: square ones, and the first layer of the MNIST MLP (batch 128). */
export const DEFAULT_SHAPES: readonly MatmulShape[] = [
  { label: '128³', m: 128, k: 128, n: 128 },
  { label: '256³', m: 256, k: 256, n: 256 },
  { label: '512³', m: 512, k: 512, n: 512 },
  { label: '1024³', m: 1024, k: 1024, n: 1024 },
  { label: '128×784×128', m: 128, k: 784, n: 128 },
];

export function shapeLabel(m: number, k: number, n: number): string {
  return m === k && k === n ? `${m}³` : `${m}×${k}×${n}`;
}

/** GFLOP/s (2·m·k·n floating-point operations per product) of each shape, in order. */
export async function benchMatmul(contender: Contender, shapes: readonly MatmulShape[], timing: TimingOptions, dtype: MatmulDType): Promise<number[]> {
  const results: number[] = [];
  for (const { m, k, n } of shapes) {
    const product = contender.matmul(m, k, n, dtype);
    try {
      const seconds = await secondsPerCall(() => product.run(), timing);
      results.push((2 * m * k * n) / seconds / 1e9);
    } finally {
      product.dispose();
    }
  }
  return results;
}
