/**
 * # Binary ops: one row per op
 *
 * As for `UNARY_SPECS`: the scalar form is the reference, and validation, conformance and costs
 * read the row. Operands broadcast by NumPy's rule; comparisons write 1 or 0 and may write any
 * dtype.
 */
export interface BinaryOpSpec {
  readonly doc: string;
  /** The op on two float64 numbers: the reference. NaN in either operand gives NaN (or 0 for comparisons). */
  readonly forward: (a: number, b: number) => number;
  readonly floatOnly: boolean;
  /** Writes 1 for true, 0 for false, into a destination of any dtype. */
  readonly comparison: boolean;
  /** Rough float64 operations per element. */
  readonly cost: number;
  /** Conformance inputs for float operands: ranges for `a` and `b` (`b` kept away from 0 by `awayFromZero`). */
  readonly test: BinaryTestSpec;
}

/** How the conformance suite draws the two operands of a binary op. */
export interface BinaryTestSpec {
  readonly a: { readonly low: number; readonly high: number; readonly integers?: boolean };
  readonly b: { readonly low: number; readonly high: number; readonly integers?: boolean; readonly awayFromZero?: number };
}

const PLAIN: BinaryTestSpec = { a: { low: -3, high: 3 }, b: { low: -3, high: 3 } };
/** Small integers, so that ties (equal, not greater, not less) actually happen. */
const TIES: BinaryTestSpec = { a: { low: -2, high: 2, integers: true }, b: { low: -2, high: 2, integers: true } };

/** Every binary op, one row each (see `BinaryOpSpec`). */
export const BINARY_SPECS = {
  add: { doc: 'a + b', forward: (a, b) => a + b, floatOnly: false, comparison: false, cost: 1, test: PLAIN },
  sub: { doc: 'a - b', forward: (a, b) => a - b, floatOnly: false, comparison: false, cost: 1, test: PLAIN },
  mul: { doc: 'a * b', forward: (a, b) => a * b, floatOnly: false, comparison: false, cost: 1, test: PLAIN },
  div: { doc: 'a / b', forward: (a, b) => a / b, floatOnly: true, comparison: false, cost: 2, test: { a: PLAIN.a, b: { low: -3, high: 3, awayFromZero: 0.5 } } },
  pow: { doc: 'a ** b', forward: (a, b) => Math.pow(a, b), floatOnly: true, comparison: false, cost: 20, test: { a: { low: 0.5, high: 2 }, b: { low: -2, high: 2 } } },
  maximum: { doc: 'the larger of a and b (NaN if either is)', forward: (a, b) => Math.max(a, b), floatOnly: false, comparison: false, cost: 1, test: PLAIN },
  minimum: { doc: 'the smaller of a and b (NaN if either is)', forward: (a, b) => Math.min(a, b), floatOnly: false, comparison: false, cost: 1, test: PLAIN },
  squaredDifference: { doc: '(a - b)²', forward: (a, b) => (a - b) * (a - b), floatOnly: false, comparison: false, cost: 2, test: PLAIN },
  equal: { doc: '1 where a == b, else 0', forward: (a, b) => (a === b ? 1 : 0), floatOnly: false, comparison: true, cost: 1, test: TIES },
  greater: { doc: '1 where a > b, else 0', forward: (a, b) => (a > b ? 1 : 0), floatOnly: false, comparison: true, cost: 1, test: TIES },
  less: { doc: '1 where a < b, else 0', forward: (a, b) => (a < b ? 1 : 0), floatOnly: false, comparison: true, cost: 1, test: TIES },
} as const satisfies Record<string, BinaryOpSpec>;

/** The name of a binary op. */
export type BinaryOp = keyof typeof BINARY_SPECS;

/** Every binary op, in table order. */
export const BINARY_OPS = Object.freeze(Object.keys(BINARY_SPECS)) as readonly BinaryOp[];

/** The binary ops that write 1 or 0 (into a destination of any dtype). */
export const COMPARISON_OPS = Object.freeze(BINARY_OPS.filter((op) => binarySpec(op).comparison)) as readonly BinaryOp[];

/**
 * The binary ops every backend's `binary` kernel computes unless it says otherwise
 * (`Backend.binaryOps`); later ops are computed by `ops` from their scalar form for such a backend.
 */
export const BASE_BINARY_OPS: readonly BinaryOp[] = Object.freeze([
  'add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'squaredDifference', 'equal', 'greater', 'less',
] as const);

/** The row of `op`, typed as the general spec. */
export function binarySpec(op: BinaryOp): BinaryOpSpec {
  return BINARY_SPECS[op];
}

/** Whether `value` names a binary op of the table. */
export function isBinaryOp(value: unknown): value is BinaryOp {
  return typeof value === 'string' && Object.hasOwn(BINARY_SPECS, value);
}
