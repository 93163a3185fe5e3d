/**
 * # Reductions along an axis: one row per op
 *
 * The reference folds each output over the axis in increasing index order with `step`, starting
 * from `init`, and applies `finish` with the axis length. NaN propagates through every reduction
 * (NumPy's rule): `max([5, NaN, 9])` is NaN, and `argmax` gives the index of the first NaN.
 */
export interface ReduceOpSpec {
  readonly doc: string;
  readonly init: number;
  readonly step: (acc: number, v: number) => number;
  readonly finish: (acc: number, length: number) => number;
  readonly floatOnly: boolean;
  /** The result is one of the inputs (compared exactly by the conformance suite). */
  readonly selects: boolean;
}

/** Every reduction along an axis, one row each. */
export const REDUCE_SPECS = {
  sum: { doc: 'sum', init: 0, step: (acc, v) => acc + v, finish: (acc) => acc, floatOnly: false, selects: false },
  mean: { doc: 'mean (NaN over an empty axis)', init: 0, step: (acc, v) => acc + v, finish: (acc, n) => acc / n, floatOnly: true, selects: false },
  // Once acc is NaN no comparison replaces it; a NaN v replaces anything.
  max: { doc: 'maximum (-Infinity over an empty axis)', init: -Infinity, step: (acc, v) => (v > acc || v !== v ? v : acc), finish: (acc) => acc, floatOnly: false, selects: true },
  min: { doc: 'minimum (Infinity over an empty axis)', init: Infinity, step: (acc, v) => (v < acc || v !== v ? v : acc), finish: (acc) => acc, floatOnly: false, selects: true },
} as const satisfies Record<string, ReduceOpSpec>;

/** The name of a reduction. */
export type ReduceOp = keyof typeof REDUCE_SPECS;

/** Every reduction, in table order. */
export const REDUCE_OPS = Object.freeze(Object.keys(REDUCE_SPECS)) as readonly ReduceOp[];

/** One index-of-extreme reduction (`argmax`, `argmin`). */
export interface ArgReduceOpSpec {
  readonly doc: string;
  /** Whether `v` replaces the best so far (`best` is never NaN: the first NaN ends the search). */
  readonly better: (v: number, best: number) => boolean;
}

/** Every index-of-extreme reduction, one row each. */
export const ARG_REDUCE_SPECS = {
  argmax: { doc: 'index of the first maximum (of the first NaN, if any)', better: (v, best) => v > best },
  argmin: { doc: 'index of the first minimum (of the first NaN, if any)', better: (v, best) => v < best },
} as const satisfies Record<string, ArgReduceOpSpec>;

/** The name of an index-of-extreme reduction. */
export type ArgReduceOp = keyof typeof ARG_REDUCE_SPECS;

/** Every index-of-extreme reduction, in table order. */
export const ARG_REDUCE_OPS = Object.freeze(Object.keys(ARG_REDUCE_SPECS)) as readonly ArgReduceOp[];

/** The row of a reduction, typed as the general spec. */
export function reduceSpec(op: ReduceOp): ReduceOpSpec {
  return REDUCE_SPECS[op];
}

/** The row of an index-of-extreme reduction, typed as the general spec. */
export function argReduceSpec(op: ArgReduceOp): ArgReduceOpSpec {
  return ARG_REDUCE_SPECS[op];
}

/** Whether `value` names a reduction of the table. */
export function isReduceOp(value: unknown): value is ReduceOp {
  return typeof value === 'string' && Object.hasOwn(REDUCE_SPECS, value);
}

/** Whether `value` names an index-of-extreme reduction of the table. */
export function isArgReduceOp(value: unknown): value is ArgReduceOp {
  return typeof value === 'string' && Object.hasOwn(ARG_REDUCE_SPECS, value);
}
