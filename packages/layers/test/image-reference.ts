/**
 * Plain loops over nested arrays for the image layers' tests: a convolution and a pooling of
 * channels-last images, written from TensorFlow's definition (`same` pads `floor(total / 2)`
 * before), independently of the backend's kernels.
 */
export type Image4 = number[][][][];

export interface WindowSpec {
  size: [number, number];
  strides: [number, number];
  dilations?: [number, number];
  padding: 'valid' | 'same';
}

function axis(inSize: number, k: number, s: number, d: number, padding: 'valid' | 'same'): { out: number; before: number } {
  const eff = (k - 1) * d + 1;
  if (padding === 'valid') return { out: Math.floor((inSize - eff) / s) + 1, before: 0 };
  const out = Math.ceil(inSize / s);
  return { out, before: Math.floor(Math.max((out - 1) * s + eff - inSize, 0) / 2) };
}

/** out[n][i][j][f] = bias[f] + Σ x[n][i·s − pad + a·d][j·s − pad + b·d][c] · w[a][b][c][f]. */
export function referenceConv(x: Image4, w: Image4, bias: number[] | null, spec: WindowSpec): Image4 {
  const [kh, kw] = spec.size;
  const [sh, sw] = spec.strides;
  const [dh, dw] = spec.dilations ?? [1, 1];
  const h = x[0]!.length;
  const wd = x[0]![0]!.length;
  const rows = axis(h, kh, sh, dh, spec.padding);
  const cols = axis(wd, kw, sw, dw, spec.padding);
  const filters = w[0]![0]![0]!.length;
  return x.map((img) =>
    Array.from({ length: rows.out }, (_, i) =>
      Array.from({ length: cols.out }, (_, j) =>
        Array.from({ length: filters }, (_, f) => {
          let s = bias ? bias[f]! : 0;
          for (let a = 0; a < kh; a++) {
            const r = i * sh - rows.before + a * dh;
            if (r < 0 || r >= h) continue;
            for (let b = 0; b < kw; b++) {
              const c0 = j * sw - cols.before + b * dw;
              if (c0 < 0 || c0 >= wd) continue;
              img[r]![c0]!.forEach((v, c) => (s += v * w[a]![b]![c]![f]!));
            }
          }
          return s;
        }),
      ),
    ),
  );
}

/** Max or mean of each window, per channel; padding ignored by the max and not counted by the mean. */
export function referencePool(x: Image4, spec: WindowSpec, kind: 'max' | 'avg'): Image4 {
  const [kh, kw] = spec.size;
  const [sh, sw] = spec.strides;
  const h = x[0]!.length;
  const wd = x[0]![0]!.length;
  const rows = axis(h, kh, sh, 1, spec.padding);
  const cols = axis(wd, kw, sw, 1, spec.padding);
  return x.map((img) =>
    Array.from({ length: rows.out }, (_, i) =>
      Array.from({ length: cols.out }, (_, j) =>
        img[0]![0]!.map((_, c) => {
          const values: number[] = [];
          for (let a = 0; a < kh; a++) {
            const r = i * sh - rows.before + a;
            for (let b = 0; b < kw; b++) {
              const q = j * sw - cols.before + b;
              if (r >= 0 && r < h && q >= 0 && q < wd) values.push(img[r]![q]![c]!);
            }
          }
          return kind === 'max' ? Math.max(...values) : values.reduce((p, v) => p + v, 0) / values.length;
        }),
      ),
    ),
  );
}
