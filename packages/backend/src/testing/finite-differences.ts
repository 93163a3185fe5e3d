/**
 * Central finite differences against analytic gradients: the one checker every scratchnet test
 * suite uses (layers, losses, models, and backward kernels). It imports nothing — plain
 * functions over writable number arrays, such as a float64 tensor's `data` — so any package can
 * use it, at any level of the stack.
 */

/** A writable array of numbers: a `Float64Array`, a plain array, a tensor's `data`. */
export interface NumberArray {
  readonly length: number;
  [index: number]: number;
}

/** Anything that keeps its values in `data`, as a Tensor does. */
export interface HasData {
  readonly data: NumberArray;
}

/** The default central-difference step: small against O(1) inputs, large against float64 rounding. */
export const DEFAULT_STEP = 1e-5;

/** Below this magnitude `elementError` compares absolutely: a relative error near 0 is meaningless. */
export const DEFAULT_FLOOR = 1e-4;

/**
 * How far an analytic gradient is from a numeric one, measured two ways:
 *
 * - `relError`: `max |a − n| / max(max |a|, max |n|)`, the largest error relative to the
 *   gradient's own scale (0 when both are all zero). Robust where many elements are exactly 0,
 *   as ReLU's often are.
 * - `elementError`: the largest elementwise `|a − n| / max(|a|, |n|, floor)`, stricter: every
 *   element must be right relative to its own size (absolutely below `floor`).
 *
 * A non-finite value on either side makes both errors Infinity. `scale` is reported so that a
 * test can also prove the gradient is not trivially zero.
 */
export interface GradientComparison {
  relError: number;
  elementError: number;
  /** `max(max |a|, max |n|)`. */
  scale: number;
  /** Elements compared. */
  count: number;
  /** The element with the largest elementwise error (index -1 when there are none), with both values. */
  worst: { index: number; analytic: number; numeric: number };
}

function valuesOf(x: HasData | NumberArray): NumberArray {
  return 'data' in x && typeof x.data === 'object' && x.data !== null ? x.data : (x as NumberArray);
}

/**
 * `d f / d x` by central differences, `(f(x + h) − f(x − h)) / 2h` per element, perturbing `x`'s
 * values in place (each is restored before the next). `f` must read `x` afresh on every call, and
 * so does this: a tensor's `data` is taken again after each call of `f`, which may have grown a
 * backend's memory and moved the tensor's view (a non-shared WebAssembly memory does that).
 */
export function numericGradient(x: HasData | NumberArray, f: () => number, h = DEFAULT_STEP): Float64Array {
  const out = new Float64Array(valuesOf(x).length);
  for (let i = 0; i < out.length; i++) {
    const v = valuesOf(x)[i]!;
    valuesOf(x)[i] = v + h;
    const plus = f();
    valuesOf(x)[i] = v - h;
    const minus = f();
    valuesOf(x)[i] = v;
    out[i] = (plus - minus) / (2 * h);
  }
  return out;
}

/** Compares an analytic gradient with a numeric one (same length); see `GradientComparison`. */
export function compareGradients(
  analytic: ArrayLike<number>,
  numeric: ArrayLike<number>,
  options: { floor?: number } = {},
): GradientComparison {
  if (analytic.length !== numeric.length) {
    throw new RangeError(`compareGradients: the analytic gradient has ${analytic.length} elements, the numeric one ${numeric.length}`);
  }
  const floor = options.floor ?? DEFAULT_FLOOR;
  let diff = 0;
  let scale = 0;
  let elementError = 0;
  let finite = true;
  const worst = { index: -1, analytic: 0, numeric: 0 };
  for (let i = 0; i < analytic.length; i++) {
    const a = analytic[i]!;
    const n = numeric[i]!;
    if (!Number.isFinite(a) || !Number.isFinite(n)) finite = false;
    const d = Math.abs(a - n);
    const e = d / Math.max(Math.abs(a), Math.abs(n), floor);
    // A NaN error (an infinite or NaN value) is the worst there is, and stays the one reported.
    if (worst.index === -1 || (!Number.isNaN(elementError) && (Number.isNaN(e) || e > elementError))) {
      elementError = e;
      worst.index = i;
      worst.analytic = a;
      worst.numeric = n;
    }
    if (d > diff) diff = d;
    scale = Math.max(scale, Math.abs(a), Math.abs(n));
  }
  if (!finite) return { relError: Infinity, elementError: Infinity, scale: NaN, count: analytic.length, worst };
  return { relError: scale === 0 ? 0 : diff / scale, elementError, scale, count: analytic.length, worst };
}

/** A gradient that disagrees with finite differences (thrown by `assertGradient`). */
export class GradientCheckError extends Error {
  readonly comparison: GradientComparison;

  constructor(message: string, comparison: GradientComparison) {
    super(message);
    this.name = 'GradientCheckError';
    this.comparison = comparison;
  }
}

/** Options of `assertGradient`: the step, the tolerance, and how errors are measured and reported. */
export interface AssertGradientOptions {
  /** Central-difference step; `DEFAULT_STEP` (1e-5). */
  h?: number;
  /** Largest error accepted; 1e-6. */
  tolerance?: number;
  /** Which error must stay below `tolerance`: `'element'` (default, the stricter) or `'scale'` (`relError`). */
  measure?: 'element' | 'scale';
  /** See `compareGradients`; `DEFAULT_FLOOR` (1e-4). */
  floor?: number;
  /** Makes the error to throw (a suite's own error class); a `GradientCheckError` by default. */
  fail?: (message: string, comparison: GradientComparison) => Error;
}

/**
 * Checks `analytic` against central differences of the scalar `f` with respect to `x`, and
 * throws, naming `what`, the worst element and both values, when the error is not below the
 * tolerance (a NaN error fails). Returns the comparison otherwise.
 */
export function assertGradient(
  what: string,
  x: HasData | NumberArray,
  analytic: HasData | ArrayLike<number>,
  f: () => number,
  options: AssertGradientOptions = {},
): GradientComparison {
  const tolerance = options.tolerance ?? 1e-6;
  const numeric = numericGradient(x, f, options.h);
  // Read after `f` ran: its calls may have moved a tensor's view (see numericGradient).
  const values = 'data' in analytic && typeof analytic.data === 'object' ? analytic.data : (analytic as ArrayLike<number>);
  const comparison = compareGradients(values, numeric, options.floor === undefined ? {} : { floor: options.floor });
  const error = options.measure === 'scale' ? comparison.relError : comparison.elementError;
  if (!(error < tolerance)) {
    const { index, analytic: a, numeric: n } = comparison.worst;
    const measure = options.measure === 'scale' ? 'error relative to the gradient scale' : 'relative error';
    const message =
      `${what}: gradient element ${index} is ${a}, central differences give ${n} ` + `(${measure} ${error} >= ${tolerance})`;
    throw options.fail ? options.fail(message, comparison) : new GradientCheckError(message, comparison);
  }
  return comparison;
}
