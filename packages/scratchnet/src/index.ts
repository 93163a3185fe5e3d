/**
 * `scratchnet`: the whole stack in one import, as `@tensorflow/tfjs` is for TensorFlow.js —
 * tensors, the validated ops, layers and models, with the cpu backend active unless the
 * application picked another. Everything here is re-exported with `export *`, so what the
 * underlying packages add later appears here without edits.
 *
 * @packageDocumentation
 */
import './default-backend.js';

export * from '@scratchnet/tensor';
export * from '@scratchnet/backend';
export * from '@scratchnet/layers';
export * from '@scratchnet/model';
export { CpuBackend } from '@scratchnet/backend-cpu';
// Names two packages export: the one a model user means wins (the backend's AdamOptions are
// the fused kernel's; `@scratchnet/backend` still exports them).
export type { AdamOptions } from '@scratchnet/model';
