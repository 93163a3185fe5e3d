import { randn, type Rng, type Tensor } from '@scratchnet/tensor';
import type { Layer } from '../layer.js';
import { compareGradients, numericGradient, type GradientComparison } from '@scratchnet/backend/testing';

/** What `checkLayerGradients` found: the worst relative error of the input and of each parameter gradient. */
export interface LayerGradientCheck {
  /** The input gradient `backward` returned against finite differences. */
  dx: GradientComparison;
  /** Each parameter's accumulated gradient against finite differences, by parameter name. */
  params: Record<string, GradientComparison>;
}

/** Options of `checkLayerGradients`. */
export interface LayerGradientCheckOptions {
  /** Draws `r`, the weights of the scalar loss `L = sum(y * r)`. */
  rng: Rng;
  /** Central-difference step; 1e-5. */
  h?: number;
  /** Runs before every forward (e.g. to re-seed a Dropout's Rng so that its mask stays fixed). */
  beforeForward?: () => void;
}

function dot(a: Tensor, b: Tensor): number {
  const x = a.data;
  const y = b.data;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
  return s;
}

/**
 * Checks `layer.backward` at the float64 input `x` for the loss `L = sum(y * r)` (so `dy = r`,
 * random): the returned `dx` and every parameter gradient, each against central differences of
 * `L` through training-mode `forward`s. The layer (float64 parameters) is built by the first
 * forward if it is not yet; its parameter gradients are zeroed first and left holding the
 * analytic gradients of this `L`.
 */
export function checkLayerGradients(layer: Layer, x: Tensor, options: LayerGradientCheckOptions): LayerGradientCheck {
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
  const params: Record<string, GradientComparison> = {};
  for (const p of layer.params()) {
    const analytic = Float64Array.from(p.grad.data);
    params[p.name] = compareGradients(analytic, numericGradient(p.value, loss, h));
  }
  return { dx: compareGradients(dx, numericGradient(x, loss, h)), params };
}
