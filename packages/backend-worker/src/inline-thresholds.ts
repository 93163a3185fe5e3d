import type { KernelName } from '@scratchnet/backend-cpu';

/**
 * Below these amounts of work (`task.units * task.cost`, the cpu planner's rough flop count) a
 * kernel call runs inline on the calling thread: handing out ranges would cost more than it saves.
 *
 * How they were measured: `node bench/inline-threshold.mjs` times one representative call per
 * kernel at doubling sizes, inline and split over 2 threads, alternately, best of 5, on the
 * development machine (2-core Xeon VM, Node 20.20, threads polling as in pool.ts). Each value is
 * the smallest work at which splitting was at least 10% faster there and at every larger size,
 * in two runs on a quiet machine; where a kernel's ops differ (`unary` relu pays off from 4k
 * elements, exp and sigmoid only from 41k work = 2k elements, as the cost model overrates
 * transcendentals), the largest crossover is taken, so no op is split at a loss. The crossover
 * is where a split's fixed cost (posting the task, waking or catching a worker, ~5-10 µs here)
 * equals half the inline time.
 *
 * | kernel (case measured)                          | split pays from (work) |
 * | ----------------------------------------------- | ---------------------: |
 * | matmul (m×64 @ 64×64)                           |         131k (16 rows) |
 * | unary (relu 4k, sqrt 16k, exp/sigmoid 41k)      |                    41k |
 * | binary (add 16k, row 16k, pow 20k, strided 33k) |                    33k |
 * | activationBackward (relu)                       |                    16k |
 * | reduce (sum over 128) / argReduce               |              33k / 16k |
 * | softmax / logSoftmax ([n,10])                   |              59k / 59k |
 * | softmaxBackward / softmaxCrossentropy           |              41k / 67k |
 * | gather (rows of 784)                            |          25k (32 rows) |
 * | transpose (n×64)                                |                    49k |
 * | fill / copy / cast                              |      131k / 262k / 33k |
 * | sgd / momentum / adam / rmsprop                 | 49k / 82k / 123k / 98k |
 *
 * With more threads than cores, workers do not poll and a split costs a full wake-up (10-80 µs),
 * so these values are optimistic there; pass `inlineThreshold` to tune for another machine.
 */
export const DEFAULT_INLINE_THRESHOLDS: Readonly<Record<KernelName, number>> = {
  matmul: 131_072,
  unary: 40_960,
  binary: 32_768,
  // Not measured: the elementwise memory traffic of a binary op (one more read), so its value.
  where: 32_768,
  activationBackward: 16_384,
  reduce: 32_768,
  argReduce: 16_384,
  softmax: 58_880,
  logSoftmax: 58_880,
  softmaxBackward: 40_960,
  softmaxCrossentropy: 66_560,
  gather: 25_088,
  transpose: 49_152,
  fill: 131_072,
  copy: 262_144,
  cast: 32_768,
  sgd: 49_152,
  momentum: 81_920,
  adam: 122_880,
  rmsprop: 98_304,
  // Provisional (the convolution family), until measured on a machine with an idle core.
  im2col: 65_536,
  col2im: 65_536,
  addInto: 65_536,
  conv2dDirect: 65_536,
  conv2dBackpropInputDirect: 65_536,
  conv2dBackpropFilterDirect: 65_536,
  maxPool: 65_536,
  avgPool: 65_536,
  maxPoolBackward: 65_536,
  maxPoolBackwardDisjoint: 65_536,
  avgPoolBackward: 65_536,
};
