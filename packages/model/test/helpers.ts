import { setBackend } from '@scratchnet/backend';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { tensor, type Rng, type Tensor } from '@scratchnet/tensor';

export function useCpu(): void {
  setBackend(new CpuBackend());
}

/** XOR: four points, labels as class indices. */
export function xorData(): { x: Tensor; y: Tensor<'int32'> } {
  return { x: tensor([[0, 0], [0, 1], [1, 0], [1, 1]]), y: tensor([0, 1, 1, 0], { dtype: 'int32' }) };
}

/**
 * The CS231n spiral: `classes` arms of `perClass` points, arm j at radius r in [0, 1] and angle
 * `4j + 4r` plus N(0, 0.2²) noise — the generator of the course notes, drawn from `rng`.
 */
export function spiralData(rng: Rng, perClass = 100, classes = 3): { x: Tensor; y: Tensor<'int32'> } {
  const n = perClass * classes;
  const xs = new Float32Array(n * 2);
  const ys = new Int32Array(n);
  for (let j = 0; j < classes; j++) {
    for (let i = 0; i < perClass; i++) {
      const k = j * perClass + i;
      const r = i / (perClass - 1);
      const t = j * 4 + (4 * i) / (perClass - 1) + rng.standardNormal() * 0.2;
      xs[2 * k] = r * Math.sin(t);
      xs[2 * k + 1] = r * Math.cos(t);
      ys[k] = j;
    }
  }
  return { x: tensor(xs, { shape: [n, 2] }), y: tensor(ys) };
}

/** One-hot `[n, classes]` float rows from class indices. */
export function oneHot(labels: Tensor, classes: number, dtype: 'float32' | 'float64' = 'float32'): Tensor {
  const n = labels.shape[0]!;
  const out = new (dtype === 'float32' ? Float32Array : Float64Array)(n * classes);
  for (let i = 0; i < n; i++) out[i * classes + labels.data[i]!] = 1;
  return tensor(out, { shape: [n, classes] });
}

/** The weights as plain arrays of numbers, for exact comparison. */
export function snapshot(weights: readonly Tensor[]): number[][] {
  return weights.map((w) => Array.from(w.data));
}
