import type { Rng, Tensor } from '@scratchnet/tensor';

/**
 * Random translations, the augmentation that suits handwritten digits: each image of `source`
 * (`[n, side·side]` or `[n, side, side, 1]`, row-major) is written to `target` moved by `dy` rows
 * and `dx` columns, each drawn uniformly from `-maxShift … maxShift` (two draws per image, `dy`
 * first, in image order, from `rng`), with zeros — the background — where it moved away from.
 * A digit seen at many positions teaches the network that position does not matter, which
 * 8,000 centred digits alone do not; the test digits are never shifted.
 */
export function shiftImages(source: Tensor, target: Tensor, side: number, maxShift: number, rng: Rng): void {
  const src = source.data;
  const dst = target.data;
  const pixels = side * side;
  const n = src.length / pixels;
  const span = 2 * maxShift + 1;
  dst.fill(0);
  for (let i = 0; i < n; i++) {
    const dy = Math.floor(rng.random() * span) - maxShift;
    const dx = Math.floor(rng.random() * span) - maxShift;
    const base = i * pixels;
    const rowFrom = Math.max(0, dy);
    const rowTo = Math.min(side, side + dy);
    const colFrom = Math.max(0, dx);
    const colTo = Math.min(side, side + dx);
    for (let r = rowFrom; r < rowTo; r++) {
      const out = base + r * side;
      const from = base + (r - dy) * side - dx;
      for (let c = colFrom; c < colTo; c++) dst[out + c] = src[from + c]!;
    }
  }
}
