import type { KernelName } from '@scratchnet/backend-cpu';

/**
 * Below these amounts of work (`task.units * task.cost`, the cpu planner's rough flop count) a
 * kernel call runs inline on the calling thread: handing out ranges would cost more than it saves.
 *
 * How they were measured: `node bench/inline-threshold.mjs` times one representative call per
 * kernel at doubling sizes, inline and split over 2 threads, alternately, best of 5, on the
 * development machine (2-core Xeon VM, Node 20.20, threads polling as in pool.ts, tasks passed
 * through the shared mailbox). Each value is the smallest work at which splitting was at least
 * 10% faster there and at every larger size, the larger of two runs on a quiet machine; where a
 * kernel's ops differ (`unary` relu and sqrt pay off from 4k work, sigmoid from 10k, exp from
 * 20k, as the cost model overrates transcendentals), the largest crossover is taken, so no op is
 * split at a loss. The crossover is where a split's fixed cost (writing the task, catching the
 * polling worker, waiting for the slower half: ~3-5 µs here) equals half the inline time.
 *
 * | kernel (case measured)                          | split pays from (work) |
 * | ----------------------------------------------- | ---------------------: |
 * | matmul (m×64 @ 64×64)                           |         131k (16 rows) |
 * | unary (relu 4k, sqrt 4k, sigmoid 10k, exp 20k)  |                    20k |
 * | binary (add 2k, row 2k, pow 2.6k, strided 8k)   |                     8k |
 * | activationBackward (relu)                       |                     8k |
 * | reduce (sum over 128) / argReduce               |               8k / 4k  |
 * | softmax / logSoftmax ([n,10])                   |             7.4k / 7.4k |
 * | softmaxBackward / softmaxCrossEntropy           |             5.1k / 17k |
 * | gather (rows of 784)                            |           3.1k (4 rows) |
 * | transpose (n×64)                                |                   6.1k |
 * | fill / copy / cast                              |        16k / 33k / 8k  |
 * | sgd / momentum / adam / rmsprop                 |   12k / 20k / 31k / 25k |
 *
 * Before tasks went through the mailbox (each was posted as a message, a median 10-19 µs to
 * reach a worker in a training step) these were 2-8× higher. In a real training step a split also
 * exposes the op to the rare millisecond in which the OS runs something else on the worker's
 * core; in `fit` on the MLP of the bench, these values and the old ones measured the same.
 *
 * With more threads than cores, workers do not poll and a split costs a full wake-up (10-80 µs),
 * so these values are optimistic there; pass `inlineThreshold` to tune for another machine.
 */
export const DEFAULT_INLINE_THRESHOLDS: Readonly<Record<KernelName, number>> = {
  matmul: 131_072,
  unary: 20_480,
  binary: 8_192,
  activationBackward: 8_192,
  reduce: 8_192,
  argReduce: 4_096,
  softmax: 7_360,
  logSoftmax: 7_360,
  softmaxBackward: 5_120,
  softmaxCrossEntropy: 16_640,
  gather: 3_136,
  transpose: 6_144,
  fill: 16_384,
  copy: 32_768,
  cast: 8_192,
  sgd: 12_288,
  momentum: 20_480,
  adam: 30_720,
  rmsprop: 24_576,
};
