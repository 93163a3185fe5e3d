/**
 * The kernel module's exports (assembly/index.ts). Pointers are byte addresses in the memory;
 * ranges are `[start, end)` of a kernel's output units. Booleans are passed as 0/1.
 */
export interface KernelExports {
  heapBase(): number;
  threadScratchBytes(): number;
  matmulRowTile(): number;
  matmulPackedBytes_f32(k: number, n: number): number;
  matmulPackedBytes_f64(k: number, n: number): number;
  packB_f32(b: number, dst: number, k: number, n: number, transB: number, q0: number, q1: number): void;
  packB_f64(b: number, dst: number, k: number, n: number, transB: number, q0: number, q1: number): void;
  matmul_f32(a: number, pb: number, out: number, scratch: number, m: number, k: number, n: number, transA: number, bBatchBytes: number, accumulate: number, r0: number, r1: number): void;
  matmul_f64(a: number, pb: number, out: number, scratch: number, m: number, k: number, n: number, transA: number, bBatchBytes: number, accumulate: number, r0: number, r1: number): void;
  unary_f32(op: number, x: number, out: number, alpha: number, minCmp: number, minVal: number, maxCmp: number, maxVal: number, start: number, end: number): void;
  unary_f64(op: number, x: number, out: number, alpha: number, minCmp: number, minVal: number, maxCmp: number, maxVal: number, start: number, end: number): void;
  binary_f32(op: number, layout: number, a: number, b: number, out: number, cols: number, start: number, end: number): void;
  binary_f64(op: number, layout: number, a: number, b: number, out: number, cols: number, start: number, end: number): void;
  binaryStrided_f32(op: number, a: number, b: number, out: number, rank: number, shape: number, aStrides: number, bStrides: number, start: number, end: number): void;
  binaryStrided_f64(op: number, a: number, b: number, out: number, rank: number, shape: number, aStrides: number, bStrides: number, start: number, end: number): void;
  reduceRows_f32(op: number, x: number, out: number, axisLen: number, start: number, end: number): void;
  reduceRows_f64(op: number, x: number, out: number, axisLen: number, start: number, end: number): void;
  argReduce_f32(isMax: number, x: number, out: number, axisLen: number, inner: number, start: number, end: number): void;
  argReduce_f64(isMax: number, x: number, out: number, axisLen: number, inner: number, start: number, end: number): void;
  argReduce_i32(isMax: number, x: number, out: number, axisLen: number, inner: number, start: number, end: number): void;
  transpose(elementBytes: number, x: number, out: number, rank: number, shape: number, strides: number, start: number, end: number): void;
  where(condType: number, elementBytes: number, cond: number, a: number, b: number, out: number, start: number, end: number): void;
  activationBackward_f32(op: number, saved: number, dy: number, dx: number, alpha: number, start: number, end: number): void;
  activationBackward_f64(op: number, saved: number, dy: number, dx: number, alpha: number, start: number, end: number): void;
  reduceColumns_f32(op: number, x: number, out: number, axisLen: number, inner: number, scratch: number, start: number, end: number): void;
  reduceColumns_f64(op: number, x: number, out: number, axisLen: number, inner: number, scratch: number, start: number, end: number): void;
  sgd_f32(param: number, grad: number, lr: number, weightDecay: number, start: number, end: number): void;
  sgd_f64(param: number, grad: number, lr: number, weightDecay: number, start: number, end: number): void;
  momentum_f32(param: number, grad: number, velocity: number, lr: number, momentum: number, nesterov: number, start: number, end: number): void;
  momentum_f64(param: number, grad: number, velocity: number, lr: number, momentum: number, nesterov: number, start: number, end: number): void;
  adam_f32(param: number, grad: number, m: number, v: number, lr: number, beta1: number, beta2: number, epsilon: number, bc1: number, bc2: number, weightDecay: number, start: number, end: number): void;
  adam_f64(param: number, grad: number, m: number, v: number, lr: number, beta1: number, beta2: number, epsilon: number, bc1: number, bc2: number, weightDecay: number, start: number, end: number): void;
  /** RMSprop in the TF.js/Keras form (epsilon inside the root, centered when meanGrad != 0, a momentum buffer when buffer != 0). */
  rmsprop_f32(param: number, grad: number, meanSquare: number, meanGrad: number, buffer: number, lr: number, rho: number, epsilon: number, momentum: number, start: number, end: number): void;
  rmsprop_f64(param: number, grad: number, meanSquare: number, meanGrad: number, buffer: number, lr: number, rho: number, epsilon: number, momentum: number, start: number, end: number): void;
  im2col_f32(x: number, cols: number, geometry: number, firstWindow: number, start: number, end: number): void;
  im2col_f64(x: number, cols: number, geometry: number, firstWindow: number, start: number, end: number): void;
  col2im_f32(dcols: number, dx: number, geometry: number, firstWindow: number, firstPixel: number, scratch: number, start: number, end: number): void;
  col2im_f64(dcols: number, dx: number, geometry: number, firstWindow: number, firstPixel: number, scratch: number, start: number, end: number): void;
  gather(x: number, indices: number, out: number, rowBytes: number, start: number, end: number): void;
  transcendental_f32(op: number, x: number, out: number, alpha: number, start: number, end: number): void;
  transcendental_f64(op: number, x: number, out: number, alpha: number, start: number, end: number): void;
  softmax_f32(kind: number, x: number, out: number, cols: number, scratch: number, start: number, end: number): void;
  softmax_f64(kind: number, x: number, out: number, cols: number, scratch: number, start: number, end: number): void;
  softmaxBackward_f32(y: number, dy: number, dx: number, cols: number, start: number, end: number): void;
  softmaxBackward_f64(y: number, dy: number, dx: number, cols: number, start: number, end: number): void;
  crossEntropy_f32(logits: number, labels: number, sparse: number, losses: number, dlogits: number, gradScale: number, cols: number, skipZeroTargets: number, scratch: number, start: number, end: number): void;
  crossEntropy_f64(logits: number, labels: number, sparse: number, losses: number, dlogits: number, gradScale: number, cols: number, skipZeroTargets: number, scratch: number, start: number, end: number): void;
  /** Test hooks: fdlibm's exp and log as the module computes them, and exp on two lanes (addresses of 16 bytes). */
  fdlibmExp(x: number): number;
  fdlibmLog(x: number): number;
  fdlibmExpm1(x: number): number;
  fdlibmTanh(x: number): number;
  fdlibmExpLanes(x: number, out: number): void;
  copyElements(src: number, dst: number, bytes: number, start: number, end: number): void;
  fill_f32(out: number, value: number, start: number, end: number): void;
  fill_f64(out: number, value: number, start: number, end: number): void;
  fill_i32(out: number, value: number, start: number, end: number): void;
  cast_f32_f64(src: number, dst: number, start: number, end: number): void;
  cast_f64_f32(src: number, dst: number, start: number, end: number): void;
  cast_i32_f32(src: number, dst: number, start: number, end: number): void;
  cast_i32_f64(src: number, dst: number, start: number, end: number): void;
}
