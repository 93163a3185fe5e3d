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
// Names two packages export (an ambiguous `export *` would drop them): the one a model user
// means wins; the other stays in its own package. AdamOptions: the optimizer's, not the fused
// kernel's. softmaxCrossentropy: the loss, like categoricalCrossentropy() beside it, not the
// backend's fused op of that name.
export type { AdamOptions } from '@scratchnet/model';
export { softmaxCrossentropy } from '@scratchnet/layers';
