/**
 * The CNN every contender trains and runs, described once so that scratchnet and TF.js build
 * the same network: the demo's (`pnpm demo train --model cnn`, apps/demo/src/train/cnn.ts) —
 * two 5×5 `valid` convolutions without bias (12 and 24 filters, He-normal), each followed by
 * BatchNormalization, ReLU and 2×2 max pooling, then Dense 10 with softmax; Adam and sparse
 * categorical cross-entropy.
 */
export const CNN_BLOCKS: readonly { filters: number; kernelSize: number }[] = [
  { filters: 12, kernelSize: 5 },
  { filters: 24, kernelSize: 5 },
];
export const CNN_CLASSES = 10;
export const CNN_SIDE = 28;

/** One line for the table's title. */
export const CNN_LABEL = `${CNN_BLOCKS.map((b) => `conv ${b.kernelSize}×${b.kernelSize}×${b.filters} → BN → ReLU → pool 2`).join(' → ')} → dense ${CNN_CLASSES}`;
