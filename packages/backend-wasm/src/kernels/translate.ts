import type { KernelTask, NumericArray } from '@scratchnet/backend-cpu';
import { ACTIVATION_CODES, BINARY_CODES, LAYOUT_CODES, REDUCE_CODES, TRANSCENDENTAL_CODES, UNARY_CODES } from './codes.js';
import { CASTS_BY_NAME, FILL_TYPES, type Job, type WasmJob, type WasmKernel } from './jobs.js';

/**
 * What a translation needs from the backend: the register tile's row count, the size of packed
 * B, a buffer for it (the backend keeps one and grows it), and room for a job's int32 arrays.
 */
export interface TranslateResources {
  readonly rowTile: number;
  packedBytes(f64: boolean, k: number, n: number): number;
  /** Address of at least `bytes` of scratch for packed B, valid until the next call. */
  packedBuffer(bytes: number): number;
  /**
   * Writes `values` as int32s into the backend's job block and returns their address, or null
   * when they do not fit (valid until the next call).
   */
  jobInts(values: readonly number[]): number | null;
}

/** Elementwise ranges split at multiples of this: whole vectors and whole 64-byte lines. */
const ELEMENT_GRAIN = 16;

/**
 * The jobs that carry out one of the cpu backend's planned kernel calls on this backend: the
 * kernel module's SIMD kernel where it has one for these dtypes and this case, otherwise the cpu
 * backend's own range kernel over the backend's memory (the task as it is). The cpu planner has
 * already resolved defaults, broadcast layouts and axis views; this only picks the kernel.
 * Arrays in `task` are views of the backend's memory, so their byte offsets are addresses.
 */
export function translate(task: KernelTask, resources: TranslateResources): Job[] {
  const js: Job = { type: 'js', kernel: task.kernel, args: task.args, units: task.units, grain: task.grain, cost: task.cost };
  switch (task.kernel) {
    case 'matmul': {
      const { a, b, out, batch, m, n, k, transposeA, transposeB, bShared, accumulate } = task.args;
      // Mixed dtypes (the cpu backend's convolution gradients write float32 products into
      // float64 scratch) have no kernel in the module.
      const kind = floatKind(a, b, out);
      if (kind === null) return [js];
      // Addresses first: growing the memory for the panels detaches a non-shared memory's views.
      const product = { a: at(a), b: at(b), out: at(out), f64: kind === 'f64', batch, m, n, k, transposeA, transposeB, bShared, accumulate };
      return matmulJobs(product, resources);
    }
    case 'unary': {
      const { op, x, out, alpha, min, max } = task.args;
      const code = UNARY_CODES[op];
      const kind = floatKind(x, out);
      if (kind === null) return [js];
      const transcendental = TRANSCENDENTAL_CODES[op];
      if (transcendental !== undefined) {
        return [wasm('transcendental', kind === 'f64', [transcendental, at(x), at(out), alpha], task.units, ELEMENT_GRAIN, task.cost)];
      }
      if (code === undefined) return [js];
      const f64 = kind === 'f64';
      const minCmp = f64 ? min : float32AtLeast(min);
      const maxCmp = f64 ? max : float32AtMost(max);
      const minVal = f64 ? min : Math.fround(min);
      const maxVal = f64 ? max : Math.fround(max);
      return [wasm('unarySimd', f64, [code, at(x), at(out), alpha, minCmp, minVal, maxCmp, maxVal], task.units, ELEMENT_GRAIN, task.cost)];
    }
    case 'binary': {
      const { op, a, b, out, layout, shape, aStrides, bStrides } = task.args;
      const code = BINARY_CODES[op];
      const layoutCode = LAYOUT_CODES[layout];
      const kind = floatKind(a, b, out);
      if (code === undefined || kind === null) return [js];
      if (layoutCode === undefined) {
        // 'strided': the general walk, its shape and strides in the job block.
        const addresses = [at(a), at(b), at(out)];
        const rank = shape.length;
        const ints = resources.jobInts([...shape, ...aStrides, ...bStrides]);
        if (ints === null) return [js];
        const args = [code, ...addresses, rank, ints, ints + 4 * rank, ints + 8 * rank];
        return [wasm('binaryStrided', kind === 'f64', args, task.units, ELEMENT_GRAIN, task.cost)];
      }
      const cols = layout === 'rowA' || layout === 'rowB' ? shape[1]! : 1;
      return [wasm('binarySimd', kind === 'f64', [code, layoutCode, at(a), at(b), at(out), cols], task.units, ELEMENT_GRAIN, task.cost)];
    }
    case 'activationBackward': {
      const { op, saved, dy, dx, alpha } = task.args;
      const kind = floatKind(saved, dy, dx);
      if (kind === null) return [js];
      return [wasm('activationBackward', kind === 'f64', [ACTIVATION_CODES[op], at(saved), at(dy), at(dx), alpha], task.units, ELEMENT_GRAIN, task.cost)];
    }
    case 'reduce': {
      const { op, x, out, axisLen, inner } = task.args;
      const kind = floatKind(x, out);
      // int32 sums wrap when stored as a typed array does; they stay JavaScript.
      if (kind === null) return [js];
      if (inner <= 1) return [wasm('reduceRows', kind === 'f64', [REDUCE_CODES[op], at(x), at(out), axisLen], task.units, 1, task.cost)];
      return [wasm('reduceColumns', kind === 'f64', [REDUCE_CODES[op], at(x), at(out), axisLen, inner], task.units, 1, task.cost)];
    }
    case 'argReduce': {
      const { op, x, out, axisLen, inner } = task.args;
      const type = ['float32', 'float64', 'int32'].indexOf(dtypeName(x));
      return [wasm('argReduceAxis', false, [type, flag(op === 'argmax'), at(x), at(out), axisLen, inner], task.units, 1, task.cost)];
    }
    case 'transpose': {
      const { x, out, shape, strides } = task.args;
      const addresses = [at(x), at(out)];
      const ints = resources.jobInts([...shape, ...strides]);
      if (ints === null) return [js];
      const args = [out.BYTES_PER_ELEMENT, ...addresses, shape.length, ints, ints + 4 * shape.length];
      return [wasm('transposeWalk', false, args, task.units, ELEMENT_GRAIN, task.cost)];
    }
    case 'gather': {
      const { x, indices, out, rowSize } = task.args;
      return [wasm('gather', false, [at(x), at(indices), at(out), rowSize * out.BYTES_PER_ELEMENT], task.units, 1, task.cost)];
    }
    case 'sgd': {
      const { param, grad, lr, weightDecay } = task.args;
      const kind = floatKind(param, grad);
      if (kind === null) return [js];
      return [wasm('sgd', kind === 'f64', [at(param), at(grad), lr, weightDecay], task.units, ELEMENT_GRAIN, task.cost)];
    }
    case 'momentum': {
      const { param, grad, velocity, lr, momentum, nesterov } = task.args;
      const kind = floatKind(param, grad, velocity);
      if (kind === null) return [js];
      return [wasm('momentum', kind === 'f64', [at(param), at(grad), at(velocity), lr, momentum, flag(nesterov)], task.units, ELEMENT_GRAIN, task.cost)];
    }
    case 'adam': {
      const { param, grad, m, v, lr, beta1, beta2, epsilon, biasCorrection1, biasCorrection2, weightDecay } = task.args;
      const kind = floatKind(param, grad, m, v);
      if (kind === null) return [js];
      const args = [at(param), at(grad), at(m), at(v), lr, beta1, beta2, epsilon, biasCorrection1, biasCorrection2, weightDecay];
      return [wasm('adam', kind === 'f64', args, task.units, ELEMENT_GRAIN, task.cost)];
    }
    case 'rmsprop': {
      const { param, grad, meanSquare, meanGrad, buffer, lr, rho, epsilon, momentum } = task.args;
      const state = [meanSquare, meanGrad, buffer].filter((t): t is NonNullable<typeof t> => t !== null);
      const kind = floatKind(param, grad, ...state);
      if (kind === null) return [js];
      // Address 0 means "absent": the heap starts above the module's static data, so no tensor lives there.
      const args = [at(param), at(grad), at(meanSquare), meanGrad === null ? 0 : at(meanGrad), buffer === null ? 0 : at(buffer), lr, rho, epsilon, momentum];
      return [wasm('rmsprop', kind === 'f64', args, task.units, ELEMENT_GRAIN, task.cost)];
    }
    case 'fill': {
      const { out, value } = task.args;
      const type = FILL_TYPES.indexOf(dtypeName(out));
      return [wasm('fillSimd', false, [at(out), value, type], task.units, ELEMENT_GRAIN, task.cost)];
    }
    case 'copy':
    case 'cast': {
      const { src, dst } = task.args;
      const from = dtypeName(src);
      const to = dtypeName(dst);
      if (from === to) return [wasm('copyMemory', false, [at(src), at(dst), dst.BYTES_PER_ELEMENT], task.units, ELEMENT_GRAIN, task.cost)];
      const conversion = CASTS_BY_NAME.indexOf(`${from}->${to}` as (typeof CASTS_BY_NAME)[number]);
      // Float to int32 stays JavaScript: a typed array wraps out-of-range values, WebAssembly saturates.
      if (conversion < 0) return [js];
      return [wasm('castSimd', false, [at(src), at(dst), conversion], task.units, ELEMENT_GRAIN, task.cost)];
    }
    case 'softmax':
    case 'logSoftmax': {
      const { x, out, cols } = task.args;
      const kind = floatKind(x, out);
      if (kind === null) return [js];
      return [wasm('softmaxRows', kind === 'f64', [task.kernel === 'softmax' ? 0 : 1, at(x), at(out), cols], task.units, 1, task.cost)];
    }
    case 'softmaxBackward': {
      const { y, dy, dx, cols } = task.args;
      const kind = floatKind(y, dy, dx);
      if (kind === null) return [js];
      return [wasm('softmaxBackwardRows', kind === 'f64', [at(y), at(dy), at(dx), cols], task.units, 1, task.cost)];
    }
    case 'softmaxCrossentropy': {
      const { logits, labels, sparse, losses, dlogits, gradScale, cols } = task.args;
      const kind = dlogits === null ? floatKind(logits, losses) : floatKind(logits, losses, dlogits);
      if (kind === null || (!sparse && floatKind(logits, labels) === null)) return [js];
      // Dense terms with a zero target are left out, as the contract says (flag 1).
      const args = [at(logits), at(labels), flag(sparse), at(losses), dlogits === null ? 0 : at(dlogits), gradScale, cols, 1];
      return [wasm('crossEntropyRows', kind === 'f64', args, task.units, 1, task.cost)];
    }
    case 'where': {
      const { cond, a, b, out } = task.args;
      const condType = ['float32', 'float64', 'int32'].indexOf(dtypeName(cond));
      return [wasm('whereSelect', false, [condType, out.BYTES_PER_ELEMENT, at(cond), at(a), at(b), at(out)], task.units, ELEMENT_GRAIN, task.cost)];
    }
    // The convolution, pooling and batch normalization range kernels: the cpu backend's own
    // JavaScript over this memory (the convolutions' matmuls, planned as matmul tasks of their
    // own, run in the module).
    case 'im2col':
    case 'col2im':
    case 'addInto':
    case 'conv2dDirect':
    case 'conv2dBackpropInputDirect':
    case 'conv2dBackpropFilterDirect':
    case 'maxPool':
    case 'avgPool':
    case 'maxPoolBackward':
    case 'maxPoolBackwardDisjoint':
    case 'avgPoolBackward':
    case 'batchNormPartials':
    case 'batchNormCombine':
    case 'batchNormApply':
      return [js];
    default:
      return assertNever(task);
  }
}

/** A matrix product by addresses (see `CoreKernels.matmul`; `bShared`: one `b` for every batch). */
export interface MatmulProduct {
  readonly a: number;
  readonly b: number;
  readonly out: number;
  readonly f64: boolean;
  readonly batch: number;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly transposeA: boolean;
  readonly transposeB: boolean;
  readonly bShared: boolean;
  readonly accumulate: boolean;
}

/** The two jobs of a product: pack B into panels (split over panels), then the rows of the output. */
export function matmulJobs(p: MatmulProduct, resources: TranslateResources): Job[] {
  const size = p.f64 ? 8 : 4;
  const panelWidth = 32 / size;
  const panels = Math.ceil(p.n / panelWidth);
  const bBatches = p.bShared ? 1 : p.batch;
  const packedBatchBytes = resources.packedBytes(p.f64, p.k, p.n);
  const rows = p.batch * p.m;
  if (rows === 0 || p.n === 0) return [];
  const packed = resources.packedBuffer(bBatches * packedBatchBytes);
  return [
    wasm('packB', p.f64, [p.b, packed, p.k, p.n, flag(p.transposeB), panels, p.k * p.n * size, packedBatchBytes], bBatches * panels, 1, p.k * panelWidth),
    wasm(
      'matmulRows',
      p.f64,
      [p.a, packed, p.out, p.m, p.k, p.n, flag(p.transposeA), p.bShared ? 0 : packedBatchBytes, flag(p.accumulate)],
      rows,
      resources.rowTile,
      2 * p.n * p.k,
    ),
  ];
}

export function wasm(kernel: WasmKernel, f64: boolean, args: number[], units: number, grain: number, cost: number): WasmJob {
  return { type: 'wasm', kernel, f64, args, units, grain, cost };
}

function assertNever(task: never): never {
  throw new Error(`wasm backend: no translation for kernel ${(task as KernelTask).kernel}`);
}

/** A view's address in the memory. */
function at(array: NumericArray): number {
  return array.byteOffset;
}

export function flag(value: boolean): number {
  return value ? 1 : 0;
}

function dtypeName(array: NumericArray): 'float32' | 'float64' | 'int32' {
  return array instanceof Float32Array ? 'float32' : array instanceof Float64Array ? 'float64' : 'int32';
}

/** 'f32' or 'f64' when every array holds that float type, else null (int32, or mixed dtypes). */
function floatKind(...arrays: NumericArray[]): 'f32' | 'f64' | null {
  const first = arrays[0]!;
  const kind = first instanceof Float32Array ? 'f32' : first instanceof Float64Array ? 'f64' : null;
  if (kind === null) return null;
  for (const array of arrays) if ((array instanceof Float64Array) !== (kind === 'f64') || array instanceof Int32Array) return null;
  return kind;
}

const bits = new Float32Array(1);
const bitsInt = new Int32Array(bits.buffer);

/** The float32 next to `v` (a float32) towards +Infinity (`up`) or -Infinity. */
function float32Step(v: number, up: boolean): number {
  if (v === 0) return up ? 1e-45 : -1e-45;
  bits[0] = v;
  bitsInt[0]! += (v > 0) === up ? 1 : -1;
  return bits[0]!;
}

/** The smallest float32 >= x: for a float32 v, `v < x` exactly when `v < float32AtLeast(x)`. */
export function float32AtLeast(x: number): number {
  const r = Math.fround(x);
  return r >= x || Number.isNaN(x) ? r : float32Step(r, true);
}

/** The largest float32 <= x: for a float32 v, `v > x` exactly when `v > float32AtMost(x)`. */
export function float32AtMost(x: number): number {
  const r = Math.fround(x);
  return r <= x || Number.isNaN(x) ? r : float32Step(r, false);
}
