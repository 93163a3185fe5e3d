// Fused in-place optimizer updates over elements [start, end), float32 and float64. Every
// element is computed in float64 from that element alone, with the cpu backend's expressions in
// the cpu backend's order, so the bits are the cpu backend's and do not depend on the range.
// Float32 tensors are widened two lanes at a time and narrowed once per stored value.

/** Loads two elements of T as float64x2. */
@inline function load2<T>(p: usize): v128 {
  if (sizeof<T>() == 8) return v128.load(p);
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}

/** Stores float64x2 as two elements of T. */
@inline function store2<T>(p: usize, v: v128): void {
  if (sizeof<T>() == 8) v128.store(p, v);
  else v128.store64_lane(p, f32x4.demote_f64x2_zero(v), 0);
}

@inline function load1<T>(p: usize): f64 {
  return <f64>load<T>(p);
}

@inline function store1<T>(p: usize, v: f64): void {
  store<T>(p, <T>v);
}

/** `param -= lr * (grad + weightDecay * param)`. */
function sgd<T>(param: usize, grad: usize, lr: f64, weightDecay: f64, start: i32, end: i32): void {
  const size = <usize>sizeof<T>();
  const vlr = f64x2.splat(lr);
  const vwd = f64x2.splat(weightDecay);
  let i = start;
  for (; i + 2 <= end; i += 2) {
    const o = <usize>i * size;
    const p = load2<T>(param + o);
    store2<T>(param + o, f64x2.sub(p, f64x2.mul(vlr, f64x2.add(load2<T>(grad + o), f64x2.mul(vwd, p)))));
  }
  for (; i < end; i++) {
    const o = <usize>i * size;
    const p = load1<T>(param + o);
    store1<T>(param + o, p - lr * (load1<T>(grad + o) + weightDecay * p));
  }
}

/** `v = momentum v - lr g`; `param += v`, or with Nesterov `param += momentum v - lr g`. */
function momentumUpdate<T>(param: usize, grad: usize, velocity: usize, lr: f64, mu: f64, nesterov: bool, start: i32, end: i32): void {
  const size = <usize>sizeof<T>();
  const vlr = f64x2.splat(lr);
  const vmu = f64x2.splat(mu);
  let i = start;
  for (; i + 2 <= end; i += 2) {
    const o = <usize>i * size;
    const g = load2<T>(grad + o);
    const v = f64x2.sub(f64x2.mul(vmu, load2<T>(velocity + o)), f64x2.mul(vlr, g));
    store2<T>(velocity + o, v);
    const delta = nesterov ? f64x2.sub(f64x2.mul(vmu, v), f64x2.mul(vlr, g)) : v;
    store2<T>(param + o, f64x2.add(load2<T>(param + o), delta));
  }
  for (; i < end; i++) {
    const o = <usize>i * size;
    const g = load1<T>(grad + o);
    const v = mu * load1<T>(velocity + o) - lr * g;
    store1<T>(velocity + o, v);
    store1<T>(param + o, load1<T>(param + o) + (nesterov ? mu * v - lr * g : v));
  }
}

/**
 * Adam (AdamW when `weightDecay` > 0): the new moments in float64 make the step, before they are
 * rounded into `m` and `v`. `bc1`, `bc2` are `1 - beta^step`.
 */
function adam<T>(
  param: usize, grad: usize, m: usize, v: usize,
  lr: f64, beta1: f64, beta2: f64, epsilon: f64, bc1: f64, bc2: f64, weightDecay: f64, start: i32, end: i32,
): void {
  const size = <usize>sizeof<T>();
  const decay = lr * weightDecay;
  const vb1 = f64x2.splat(beta1);
  const vb2 = f64x2.splat(beta2);
  const v1b1 = f64x2.splat(1 - beta1);
  const v1b2 = f64x2.splat(1 - beta2);
  const vlr = f64x2.splat(lr);
  const veps = f64x2.splat(epsilon);
  const vbc1 = f64x2.splat(bc1);
  const vbc2 = f64x2.splat(bc2);
  const vdecay = f64x2.splat(decay);
  let i = start;
  for (; i + 2 <= end; i += 2) {
    const o = <usize>i * size;
    const g = load2<T>(grad + o);
    const mi = f64x2.add(f64x2.mul(vb1, load2<T>(m + o)), f64x2.mul(v1b1, g));
    const vi = f64x2.add(f64x2.mul(vb2, load2<T>(v + o)), f64x2.mul(f64x2.mul(v1b2, g), g));
    store2<T>(m + o, mi);
    store2<T>(v + o, vi);
    let p = load2<T>(param + o);
    if (decay != 0) p = f64x2.sub(p, f64x2.mul(vdecay, p));
    const stepv = f64x2.div(f64x2.mul(vlr, f64x2.div(mi, vbc1)), f64x2.add(f64x2.sqrt(f64x2.div(vi, vbc2)), veps));
    store2<T>(param + o, f64x2.sub(p, stepv));
  }
  for (; i < end; i++) {
    const o = <usize>i * size;
    const g = load1<T>(grad + o);
    const mi = beta1 * load1<T>(m + o) + (1 - beta1) * g;
    const vi = beta2 * load1<T>(v + o) + (1 - beta2) * g * g;
    store1<T>(m + o, mi);
    store1<T>(v + o, vi);
    let p = load1<T>(param + o);
    if (decay != 0) p -= decay * p;
    store1<T>(param + o, p - (lr * (mi / bc1)) / (sqrt<f64>(vi / bc2) + epsilon));
  }
}

/**
 * RMSprop as TF.js and Keras define it: `s = rho s + (1-rho) g²`;
 * centered (`meanGrad` != 0): `mg = rho mg + (1-rho) g`, `denom = s - mg² + epsilon`, else
 * `denom = s + epsilon`; `inc = lr g / sqrt(denom)`; with a momentum buffer (`buffer` != 0)
 * `b = momentum b + inc`, `param -= b`, else `param -= inc`.
 */
function rmsprop<T>(
  param: usize, grad: usize, meanSquare: usize, meanGrad: usize, buffer: usize,
  lr: f64, rho: f64, epsilon: f64, mu: f64, start: i32, end: i32,
): void {
  const size = <usize>sizeof<T>();
  const vrho = f64x2.splat(rho);
  const v1rho = f64x2.splat(1 - rho);
  const veps = f64x2.splat(epsilon);
  const vlr = f64x2.splat(lr);
  const vmu = f64x2.splat(mu);
  const centered = meanGrad != 0;
  const withBuffer = buffer != 0;
  let i = start;
  for (; i + 2 <= end; i += 2) {
    const o = <usize>i * size;
    const g = load2<T>(grad + o);
    const s = f64x2.add(f64x2.mul(vrho, load2<T>(meanSquare + o)), f64x2.mul(f64x2.mul(v1rho, g), g));
    store2<T>(meanSquare + o, s);
    let denominator = f64x2.add(s, veps);
    if (centered) {
      const mg = f64x2.add(f64x2.mul(vrho, load2<T>(meanGrad + o)), f64x2.mul(v1rho, g));
      store2<T>(meanGrad + o, mg);
      denominator = f64x2.add(f64x2.sub(s, f64x2.mul(mg, mg)), veps);
    }
    const increment = f64x2.div(f64x2.mul(vlr, g), f64x2.sqrt(denominator));
    if (withBuffer) {
      const b = f64x2.add(f64x2.mul(vmu, load2<T>(buffer + o)), increment);
      store2<T>(buffer + o, b);
      store2<T>(param + o, f64x2.sub(load2<T>(param + o), b));
    } else {
      store2<T>(param + o, f64x2.sub(load2<T>(param + o), increment));
    }
  }
  for (; i < end; i++) {
    const o = <usize>i * size;
    const g = load1<T>(grad + o);
    const s = rho * load1<T>(meanSquare + o) + (1 - rho) * g * g;
    store1<T>(meanSquare + o, s);
    let denominator = s + epsilon;
    if (centered) {
      const mg = rho * load1<T>(meanGrad + o) + (1 - rho) * g;
      store1<T>(meanGrad + o, mg);
      denominator = s - mg * mg + epsilon;
    }
    const increment = (lr * g) / sqrt<f64>(denominator);
    if (withBuffer) {
      const b = mu * load1<T>(buffer + o) + increment;
      store1<T>(buffer + o, b);
      store1<T>(param + o, load1<T>(param + o) - b);
    } else {
      store1<T>(param + o, load1<T>(param + o) - increment);
    }
  }
}

export function rmsprop_f32(
  param: usize, grad: usize, meanSquare: usize, meanGrad: usize, buffer: usize, lr: f64, rho: f64, epsilon: f64, mu: f64, start: i32, end: i32,
): void {
  rmsprop<f32>(param, grad, meanSquare, meanGrad, buffer, lr, rho, epsilon, mu, start, end);
}
export function rmsprop_f64(
  param: usize, grad: usize, meanSquare: usize, meanGrad: usize, buffer: usize, lr: f64, rho: f64, epsilon: f64, mu: f64, start: i32, end: i32,
): void {
  rmsprop<f64>(param, grad, meanSquare, meanGrad, buffer, lr, rho, epsilon, mu, start, end);
}

export function sgd_f32(param: usize, grad: usize, lr: f64, weightDecay: f64, start: i32, end: i32): void {
  sgd<f32>(param, grad, lr, weightDecay, start, end);
}
export function sgd_f64(param: usize, grad: usize, lr: f64, weightDecay: f64, start: i32, end: i32): void {
  sgd<f64>(param, grad, lr, weightDecay, start, end);
}
export function momentum_f32(param: usize, grad: usize, velocity: usize, lr: f64, mu: f64, nesterov: bool, start: i32, end: i32): void {
  momentumUpdate<f32>(param, grad, velocity, lr, mu, nesterov, start, end);
}
export function momentum_f64(param: usize, grad: usize, velocity: usize, lr: f64, mu: f64, nesterov: bool, start: i32, end: i32): void {
  momentumUpdate<f64>(param, grad, velocity, lr, mu, nesterov, start, end);
}
export function adam_f32(
  param: usize, grad: usize, m: usize, v: usize,
  lr: f64, beta1: f64, beta2: f64, epsilon: f64, bc1: f64, bc2: f64, weightDecay: f64, start: i32, end: i32,
): void {
  adam<f32>(param, grad, m, v, lr, beta1, beta2, epsilon, bc1, bc2, weightDecay, start, end);
}
export function adam_f64(
  param: usize, grad: usize, m: usize, v: usize,
  lr: f64, beta1: f64, beta2: f64, epsilon: f64, bc1: f64, bc2: f64, weightDecay: f64, start: i32, end: i32,
): void {
  adam<f64>(param, grad, m, v, lr, beta1, beta2, epsilon, bc1, bc2, weightDecay, start, end);
}
