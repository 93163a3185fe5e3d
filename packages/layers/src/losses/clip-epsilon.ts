import type { DType } from '@scratchnet/tensor';

/**
 * Probabilities are clipped to `[EPSILON, 1 − EPSILON]` before their log, as Keras does with
 * `backend.epsilon()`, so a saturated output gives a large but finite loss.
 */
export const EPSILON = 1e-7;

/** The clip bounds as stored in `dtype` (a float32 clip rounds `1 − 1e-7` to 0.99999988). */
export function clipBounds(dtype: DType): [number, number] {
  return dtype === 'float32' ? [Math.fround(EPSILON), Math.fround(1 - EPSILON)] : [EPSILON, 1 - EPSILON];
}
