import { formatShape, type DType, type Shape, type Tensor } from '@scratchnet/tensor';

/** Thrown by the conformance suite when a backend's result is wrong. */
export class ConformanceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConformanceError';
  }
}

/** Relative tolerance for results in `dtype`: rounding of float32 storage vs float64 arithmetic. */
export function rtolFor(dtype: DType): number {
  return dtype === 'float32' ? 1e-5 : dtype === 'float64' ? 1e-12 : 0;
}

export interface Tolerance {
  /** Relative tolerance. */
  rtol: number;
  /**
   * Size of the terms an element was computed from (e.g. `sum |a_ik b_kj|` for matmul), per
   * element or one number for all. The allowed error is `rtol * (|expected| + mag)`, which keeps
   * the check fair where a result cancels to near zero. Default 0.
   */
  mag?: ArrayLike<number> | number;
}

function coordinates(flat: number, shape: Shape): string {
  const coords = new Array<number>(shape.length);
  let rest = flat;
  for (let d = shape.length - 1; d >= 0; d--) {
    const n = shape[d]!;
    coords[d] = n === 0 ? 0 : rest % n;
    rest = n === 0 ? 0 : Math.floor(rest / n);
  }
  return `[${coords.join(',')}]`;
}

function values(x: Tensor | ArrayLike<number>): ArrayLike<number> {
  return 'data' in x && ArrayBuffer.isView((x as Tensor).data) ? (x as Tensor).data : (x as ArrayLike<number>);
}

function sameValue(g: number, e: number): boolean {
  return g === e || (Number.isNaN(g) && Number.isNaN(e));
}

/**
 * Throws a ConformanceError unless every element of `got` is within tolerance of `expected`
 * (NaN matches NaN, infinities match exactly). The message names `what` (kernel, dtype, shapes),
 * the first mismatching element with both values, and how many elements are off.
 */
export function assertClose(what: string, got: Tensor, expected: Tensor | ArrayLike<number>, tolerance: Tolerance): void {
  const g = got.data;
  const e = values(expected);
  if (g.length !== e.length) {
    throw new ConformanceError(`${what}: result has ${g.length} elements, expected ${e.length}`);
  }
  const mag = tolerance.mag ?? 0;
  let first = -1;
  let firstTol = 0;
  let bad = 0;
  for (let i = 0; i < g.length; i++) {
    const gv = g[i]!;
    const ev = e[i]!;
    if (sameValue(gv, ev)) continue;
    const m = typeof mag === 'number' ? mag : mag[i]!;
    const tol = tolerance.rtol * (Math.abs(ev) + m);
    if (Number.isFinite(gv) && Number.isFinite(ev) && Math.abs(gv - ev) <= tol) continue;
    bad++;
    if (first < 0) {
      first = i;
      firstTol = tol;
    }
  }
  if (bad > 0) {
    const gv = g[first]!;
    const ev = e[first]!;
    throw new ConformanceError(
      `${what}: element ${coordinates(first, got.shape)} of ${formatShape(got.shape)} is ${gv}, expected ${ev} ` +
        `(|difference| ${Math.abs(gv - ev)} > tolerance ${firstTol}); ${bad} of ${g.length} elements differ`,
    );
  }
}

/** Throws unless `got` equals `expected` exactly, element for element (±0 compare equal). */
export function assertExact(what: string, got: Tensor, expected: Tensor | ArrayLike<number>): void {
  assertClose(what, got, expected, { rtol: 0 });
}

/**
 * Throws unless every element of `got` is the very value `expected` holds once stored in
 * `got`'s dtype, with NaN equal to NaN and -0 told apart from +0 (`Object.is`).
 */
export function assertIdentical(what: string, got: Tensor, expected: Tensor | ArrayLike<number>): void {
  const g = got.data;
  const e = values(expected);
  if (g.length !== e.length) {
    throw new ConformanceError(`${what}: result has ${g.length} elements, expected ${e.length}`);
  }
  const store = got.dtype === 'float32' ? Math.fround : got.dtype === 'int32' ? (v: number) => v | 0 : (v: number) => v;
  let first = -1;
  let bad = 0;
  for (let i = 0; i < g.length; i++) {
    if (!Object.is(g[i], store(e[i]!))) {
      if (first < 0) first = i;
      bad++;
    }
  }
  if (bad > 0) {
    const show = (v: number) => (Object.is(v, -0) ? '-0' : String(v));
    throw new ConformanceError(
      `${what}: element ${coordinates(first, got.shape)} is ${show(g[first]!)}, expected ${show(store(e[first]!))} ` +
        `(${bad} of ${g.length} elements differ; NaN and the sign of zero count)`,
    );
  }
}

/** Throws unless `got`'s elements are close to `expected` as dtype `dtype` allows, with `mag` as in Tolerance. */
export function assertMatches(what: string, got: Tensor, expected: Tensor | ArrayLike<number>, mag: Tolerance['mag'] = 1, scale = 1): void {
  if (got.dtype === 'int32') assertExact(what, got, expected);
  else assertClose(what, got, expected, { rtol: rtolFor(got.dtype) * scale, mag });
}
