/**
 * Splits units [0, units) into at most `parts` contiguous ranges whose boundaries are multiples
 * of `grain`, as equal as the grain allows. Every kernel writes each unit the same way whatever
 * range it falls in, so any such split gives the same bits.
 */
export function splitRange(units: number, grain: number, parts: number): Array<[number, number]> {
  const blocks = Math.ceil(units / grain);
  const n = Math.max(1, Math.min(parts, blocks));
  const ranges: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) {
    const start = Math.floor((i * blocks) / n) * grain;
    const end = Math.min(units, Math.floor(((i + 1) * blocks) / n) * grain);
    ranges.push([start, end]);
  }
  return ranges;
}
