import type { Tensor } from '@scratchnet/tensor';
import type { CoreKernels } from '../backend.js';
import type { Temps } from './temps.js';

// The softmax family over the last axis, composed from core kernels on an `[rows, cols]` view.

function rowsOf(t: Tensor): { rows: number; cols: number } {
  const cols = t.rank === 0 ? 1 : t.shape[t.rank - 1]!;
  return { rows: cols === 0 ? 0 : t.size / cols, cols };
}

/** `x - max(x)` per row into a temporary `[rows, cols]` (the max-shift that keeps exp finite). */
function shifted(k: CoreKernels, temps: Temps, x: Tensor, rows: number, cols: number): Tensor {
  const view = x.reshape([rows, cols]);
  const m = temps.zeros([rows, 1], x.dtype);
  k.reduce('max', view, 1, m);
  const t = temps.zeros([rows, cols], x.dtype);
  k.binary('sub', view, m, t);
  return t;
}

export function composeSoftmax(k: CoreKernels, temps: Temps, x: Tensor, out: Tensor): void {
  const { rows, cols } = rowsOf(x);
  if (rows === 0) return;
  const e = shifted(k, temps, x, rows, cols);
  k.unary('exp', e, e);
  const total = temps.zeros([rows, 1], x.dtype);
  k.reduce('sum', e, 1, total);
  k.binary('div', e, total, out.reshape([rows, cols]));
}

export function composeLogSoftmax(k: CoreKernels, temps: Temps, x: Tensor, out: Tensor): void {
  const { rows, cols } = rowsOf(x);
  if (rows === 0) return;
  const t = shifted(k, temps, x, rows, cols);
  const e = temps.zeros([rows, cols], x.dtype);
  k.unary('exp', t, e);
  const logTotal = temps.zeros([rows, 1], x.dtype);
  k.reduce('sum', e, 1, logTotal);
  k.unary('log', logTotal, logTotal);
  k.binary('sub', t, logTotal, out.reshape([rows, cols]));
}

export function composeSoftmaxBackward(k: CoreKernels, temps: Temps, y: Tensor, dy: Tensor, dx: Tensor): void {
  const { rows, cols } = rowsOf(y);
  if (rows === 0) return;
  const yv = y.reshape([rows, cols]);
  const dyv = dy.reshape([rows, cols]);
  const t = temps.zeros([rows, cols], y.dtype);
  k.binary('mul', dyv, yv, t);
  const dot = temps.zeros([rows, 1], y.dtype);
  k.reduce('sum', t, 1, dot);
  k.binary('sub', dyv, dot, t);
  k.binary('mul', yv, t, dx.reshape([rows, cols]));
}
