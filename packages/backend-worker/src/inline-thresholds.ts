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
 * The convolution, pooling and batch normalization kernels came when the development machine's
 * cores were busy with other work (load average 6-16 on 2 cores), so that no split could be
 * measured to pay at any size. Their values are derived instead with
 * `node bench/inline-threshold.mjs --inline-rate --derive <kernels>`: each kernel's inline time
 * per unit of work (best of 9), and the threshold at which its inline time equals the median
 * inline time that the measured thresholds above stand for (35 µs: a split's fixed cost does not
 * depend on the kernel); the median over four runs, rounded.
 *
 * | kernel (case)                                            | ns per work | split from (work) |
 * | -------------------------------------------------------- | ----------: | ----------------: |
 * | im2col / col2im (3×3×8 windows of 8×8×8 images)          |   2.4 / 1.9 |         16k / 18k |
 * | addInto                                                  |         1.5 |               25k |
 * | conv2d / …BackpropInput / …BackpropFilter, direct        |    0.55–0.7 |   65k / 65k / 56k |
 * | maxPool / avgPool (2×2 of 8×8×16)                        |   4.5 / 2.1 |           8k / 16k |
 * | maxPoolBackward: disjoint windows / overlapping (3×3 s1) |   7.2 / 2.9 |          5k / 13k |
 * | avgPoolBackward                                          |         3.5 |               10k |
 * | batchNorm partial sums / combine / apply ([rows, 16])    | 0.7 / 1.0 / 0.7 |  52k / 33k / 50k |
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
  // Derived from inline rates (see above), not from a measured crossover.
  im2col: 16_384,
  col2im: 18_432,
  addInto: 25_600,
  conv2dDirect: 65_536,
  conv2dBackpropInputDirect: 65_536,
  conv2dBackpropFilterDirect: 56_320,
  maxPool: 8_192,
  avgPool: 16_384,
  maxPoolBackward: 13_312,
  maxPoolBackwardDisjoint: 5_120,
  avgPoolBackward: 10_240,
  batchNormPartials: 52_224,
  batchNormCombine: 33_792,
  batchNormApply: 51_200,
};
