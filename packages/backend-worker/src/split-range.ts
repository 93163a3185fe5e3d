/**
 * Splits output units [0, units) into at most `parts` contiguous ranges whose boundaries are
 * multiples of `grain` (the cpu kernel's tile), as equal as the grain allows. Any such split
 * gives the cpu backend's bits, since every kernel computes each unit the same way whatever
 * range it falls in.
 */
export function splitRange(units: number, grain: number, parts: number): Array<[number, number]> {
  // Long element-wise ranges start on 16-unit boundaries (64 bytes of float32), so two threads
  // never write the same cache line.
  const block = grain === 1 && units >= 256 * parts ? 16 : grain;
  const blocks = Math.ceil(units / block);
  const n = Math.max(1, Math.min(parts, blocks));
  const ranges: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) {
    const start = Math.floor((i * blocks) / n) * block;
    const end = Math.min(units, Math.floor(((i + 1) * blocks) / n) * block);
    ranges.push([start, end]);
  }
  return ranges;
}
