import { randn, type Rng, type Tensor } from '@scratchnet/tensor';
import type { Layer, Loss } from '@scratchnet/layers';

/**
 * Central finite differences against the analytic gradients of a layer or a loss, in float64.
 *
 * Error measure: `max |analytic − numeric| / max(max |analytic|, max |numeric|)`, the largest
 * error relative to the gradient's own scale (elementwise relative error is meaningless where a
 * gradient is exactly 0, as ReLU's often is). `scale` is reported so a test can also prove the
 * gradient is not trivially zero.
 */
export interface GradError {
  relError: number;
  scale: number;
  /** Elements compared. */
  count: number;
}

export interface LayerGradCheck {
  dx: GradError;
  params: Record<string, GradError>;
}

export interface LayerGradCheckOptions {
  /** Draws `r`, the weights of the scalar loss `sum(y * r)`. */
  rng: Rng;
  /** Finite-difference step (1e-5). */
  h?: number;
  /** Runs before every forward (e.g. to re-seed a Dropout's Rng so its mask stays fixed). */
  beforeForward?: () => void;
}

export function compareGrads(analytic: ArrayLike<number>, numeric: ArrayLike<number>): GradError {
  if (analytic.length !== numeric.length) throw new Error(`compareGrads: ${analytic.length} vs ${numeric.length} elements`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < analytic.length; i++) {
    const a = analytic[i]!;
    const n = numeric[i]!;
    if (!Number.isFinite(a) || !Number.isFinite(n)) return { relError: Infinity, scale: NaN, count: analytic.length };
    diff = Math.max(diff, Math.abs(a - n));
    scale = Math.max(scale, Math.abs(a), Math.abs(n));
  }
  return { relError: scale === 0 ? 0 : diff / scale, scale, count: analytic.length };
}

/** `d f / d t` by central differences, perturbing `t`'s elements in place (restored after). */
export function numericGrad(t: Tensor, f: () => number, h: number): Float64Array {
  const data = t.data;
  const out = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    data[i] = v + h;
    const plus = f();
    data[i] = v - h;
    const minus = f();
    data[i] = v;
    out[i] = (plus - minus) / (2 * h);
  }
  return out;
}

function dot(a: Tensor, b: Tensor): number {
  const x = a.data;
  const y = b.data;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
  return s;
}

/**
 * Checks `layer.backward` at `x` for the loss `L = sum(y * r)` (so `dy = r`): `dx` and every
 * parameter gradient. Parameter gradients are zeroed first; the layer's are left holding the
 * analytic gradients of this `L`.
 */
export function checkLayerGradients(layer: Layer, x: Tensor, options: LayerGradCheckOptions): LayerGradCheck {
  const h = options.h ?? 1e-5;
  const before = options.beforeForward ?? (() => {});
  before();
  const y0 = layer.forward(x, { training: true });
  const r = randn(y0.shape, { dtype: 'float64', rng: options.rng });
  layer.zeroGrads();
  before();
  layer.forward(x, { training: true });
  const dx = Float64Array.from(layer.backward(r).data);
  const loss = (): number => {
    before();
    return dot(layer.forward(x, { training: true }), r);
  };
  const params: Record<string, GradError> = {};
  for (const p of layer.params()) {
    const analytic = Float64Array.from(p.grad.data);
    params[p.name] = compareGrads(analytic, numericGrad(p.value, loss, h));
  }
  return { dx: compareGrads(dx, numericGrad(x, loss, h)), params };
}

/** Checks a loss's gradient with respect to `yPred` against finite differences of its mean loss. */
export function checkLossGradient(loss: Loss, yPred: Tensor, yTrue: Tensor, h = 1e-6): GradError {
  const { grad } = loss.compute(yPred, yTrue, { withGrad: true });
  const analytic = Float64Array.from(grad!.data);
  return compareGrads(analytic, numericGrad(yPred, () => loss.compute(yPred, yTrue).loss, h));
}
