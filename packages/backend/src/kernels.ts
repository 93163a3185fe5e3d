import type { Tensor } from '@scratchnet/tensor';
import type { Backend, Kernels } from './backend.js';
import { COMPOSE_ACTIVATION_BACKWARD } from './compose/activation-backward.js';
import { composeBatchNormalization, composeBatchNormalizationBackward, composeMoments } from './compose/batch-normalization.js';
import { composeConv2d, composeConv2dBackpropFilter, composeConv2dBackpropInput } from './compose/conv2d.js';
import { composeAvgPool, composeAvgPoolBackward, composeMaxPool, composeMaxPoolBackward } from './compose/pool2d.js';
import { composeAdam, composeMomentum, composeRmsprop, composeSgd } from './compose/optimizers.js';
import { composeLogSoftmax, composeSoftmax, composeSoftmaxBackward } from './compose/softmax.js';
import { composeSoftmaxCrossentropy } from './compose/softmax-crossentropy.js';
import { Temps } from './compose/temps.js';
import { binaryLoop, unaryLoop } from './portable/elementwise.js';
import { BASE_BINARY_OPS } from './spec/binary.js';
import { resolveUnaryParams } from './spec/resolve-params.js';
import { BASE_UNARY_OPS } from './spec/unary.js';

const cache = new WeakMap<Backend, Kernels>();

/**
 * Every kernel of the contract for `backend`: its own where it has them, the others composed
 * from its core kernels (fused kernels) or computed from the spec's scalar form (an elementwise
 * op its kernel does not list). What `ops` calls; made once per backend.
 */
export function kernelsOf(backend: Backend): Kernels {
  let kernels = cache.get(backend);
  if (kernels === undefined) {
    kernels = complete(backend);
    cache.set(backend, kernels);
  }
  return kernels;
}

function complete(b: Backend): Kernels {
  const unaryOps = new Set(b.unaryOps ?? BASE_UNARY_OPS);
  const binaryOps = new Set(b.binaryOps ?? BASE_BINARY_OPS);
  const temps = new Temps(b.allocator);
  const k: Kernels = {
    backend: b,
    matmul: (a, bm, out, options) => b.matmul(a, bm, out, options),
    unary: (op, x, out, params) => (unaryOps.has(op) ? b.unary(op, x, out, params) : unaryLoop(op, x, out, params)),
    binary: (op, x, y, out) => (binaryOps.has(op) ? b.binary(op, x, y, out) : binaryLoop(op, x, y, out)),
    where: (cond, x, y, out) => b.where(cond, x, y, out),
    reduce: (op, x, axis, out) => b.reduce(op, x, axis, out),
    argReduce: (op, x, axis, out) => b.argReduce(op, x, axis, out),
    gather: (x, indices, out) => b.gather(x, indices, out),
    transpose: (x, perm, out) => b.transpose(x, perm, out),
    fill: (out, value) => b.fill(out, value),
    copy: (src, dst) => b.copy(src, dst),
    cast: (src, dst) => b.cast(src, dst),

    activationBackward(op, saved, dy, dx, params) {
      // A fused kernel covers the activations its backend lists; the rest are composed.
      if (b.activationBackward !== undefined && unaryOps.has(op)) b.activationBackward(op, saved, dy, dx, params);
      else COMPOSE_ACTIVATION_BACKWARD[op](k, temps, saved, dy, dx, resolveUnaryParams(op, params));
    },
    softmax: b.softmax ? (x, out) => b.softmax!(x, out) : (x, out) => composeSoftmax(k, temps, x, out),
    logSoftmax: b.logSoftmax ? (x, out) => b.logSoftmax!(x, out) : (x, out) => composeLogSoftmax(k, temps, x, out),
    softmaxBackward: b.softmaxBackward
      ? (y, dy, dx) => b.softmaxBackward!(y, dy, dx)
      : (y, dy, dx) => composeSoftmaxBackward(k, temps, y, dy, dx),
    softmaxCrossentropy: b.softmaxCrossentropy
      ? (logits, labels, losses, dlogits, gradScale) => b.softmaxCrossentropy!(logits, labels, losses, dlogits, gradScale)
      : (logits, labels, losses, dlogits, gradScale) => composeSoftmaxCrossentropy(k, temps, logits, labels, losses, dlogits, gradScale),
    sgdUpdate: b.sgdUpdate ? (p, g, o) => b.sgdUpdate!(p, g, o) : (p, g, o) => composeSgd(k, temps, p, g, o),
    momentumUpdate: b.momentumUpdate
      ? (p, g, v, o) => b.momentumUpdate!(p, g, v, o)
      : (p, g, v, o) => composeMomentum(k, temps, p, g, v, o),
    adamUpdate: b.adamUpdate ? (p, g, m, v, o) => b.adamUpdate!(p, g, m, v, o) : (p, g, m, v, o) => composeAdam(k, temps, p, g, m, v, o),
    rmspropUpdate: b.rmspropUpdate
      ? (p, g, s, mg, buf, o) => b.rmspropUpdate!(p, g, s, mg, buf, o)
      : (p: Tensor, g: Tensor, s: Tensor, mg: Tensor | null, buf: Tensor | null, o) => composeRmsprop(k, temps, p, g, s, mg, buf, o),
    conv2d: b.conv2d ? (x, f, out, info) => b.conv2d!(x, f, out, info) : (x, f, out, info) => composeConv2d(k, temps, x, f, out, info),
    conv2dBackpropInput: b.conv2dBackpropInput
      ? (dy, f, dx, info) => b.conv2dBackpropInput!(dy, f, dx, info)
      : (dy, f, dx, info) => composeConv2dBackpropInput(k, temps, dy, f, dx, info),
    conv2dBackpropFilter: b.conv2dBackpropFilter
      ? (x, dy, df, info, acc) => b.conv2dBackpropFilter!(x, dy, df, info, acc)
      : (x, dy, df, info, acc) => composeConv2dBackpropFilter(k, temps, x, dy, df, info, acc),
    maxPool: b.maxPool ? (x, out, info) => b.maxPool!(x, out, info) : (x, out, info) => composeMaxPool(k, temps, x, out, info),
    avgPool: b.avgPool ? (x, out, info) => b.avgPool!(x, out, info) : (x, out, info) => composeAvgPool(k, temps, x, out, info),
    maxPoolBackward: b.maxPoolBackward
      ? (x, dy, dx, info) => b.maxPoolBackward!(x, dy, dx, info)
      : (x, dy, dx, info) => composeMaxPoolBackward(k, temps, x, dy, dx, info),
    avgPoolBackward: b.avgPoolBackward
      ? (dy, dx, info) => b.avgPoolBackward!(dy, dx, info)
      : (dy, dx, info) => composeAvgPoolBackward(k, temps, dy, dx, info),
    moments: b.moments ? (x, m, v) => b.moments!(x, m, v) : (x, m, v) => composeMoments(k, temps, x, m, v),
    batchNormalization: b.batchNormalization
      ? (x, m, v, s, o, e, out) => b.batchNormalization!(x, m, v, s, o, e, out)
      : (x, m, v, s, o, e, out) => composeBatchNormalization(k, temps, x, m, v, s, o, e, out),
    batchNormalizationBackward: b.batchNormalizationBackward
      ? (dy, x, m, v, s, e, dx, ds, dof) => b.batchNormalizationBackward!(dy, x, m, v, s, e, dx, ds, dof)
      : (dy, x, m, v, s, e, dx, ds, dof) => composeBatchNormalizationBackward(k, temps, dy, x, m, v, s, e, dx, ds, dof),
  };
  return k;
}
