import type { Tensor } from '@scratchnet/tensor';
import type { Kernels } from '../backend.js';
import type { Temps } from './temps.js';

/**
 * Softmax cross-entropy composed from `logSoftmax` (the backend's, or composed) and core kernels.
 * Class indices become one-hot rows through `equal` against `[0, c)`; terms whose target is 0 are
 * left out of the sum (through `where`), as the fused kernel does, so a log-probability of -∞
 * with a zero target costs nothing.
 */
export function composeSoftmaxCrossentropy(
  k: Kernels,
  temps: Temps,
  logits: Tensor,
  labels: Tensor,
  losses: Tensor,
  dlogits: Tensor | null,
  gradScale: number,
): void {
  const n = logits.shape[0]!;
  const c = logits.shape[1]!;
  const dtype = logits.dtype;
  const logp = temps.zeros([n, c], dtype);
  k.logSoftmax(logits, logp);
  let targets = labels;
  if (labels.rank === 1) {
    const classes = temps.zeros([1, c], 'int32');
    for (let j = 0; j < c; j++) classes.data[j] = j;
    targets = temps.zeros([n, c], dtype);
    k.binary('equal', labels.reshape([n, 1]), classes, targets);
  }
  const terms = temps.zeros([n, c], dtype);
  k.binary('mul', targets, logp, terms);
  const zero = temps.scalar(0, dtype);
  const noTarget = temps.zeros([n, c], dtype);
  k.binary('equal', targets, zero, noTarget);
  k.where(noTarget, temps.zeros([n, c], dtype), terms, terms);
  k.reduce('sum', terms, 1, losses);
  k.unary('neg', losses, losses);
  if (dlogits !== null) {
    k.unary('exp', logp, logp);
    k.binary('sub', logp, targets, dlogits);
    k.unary('scale', dlogits, dlogits, { alpha: gradScale });
  }
}
