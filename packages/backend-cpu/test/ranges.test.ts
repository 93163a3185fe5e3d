import { ACTIVATION_OPS, BINARY_OPS, REDUCE_OPS, UNARY_OPS } from '@scratchnet/backend';
import type { Tensor, TypedArray } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { conv2dInfo, pool2dInfo, outputShapeOf, type Conv2dInfo } from '@scratchnet/backend';
import { CpuBackend, runKernel, runKernelQueue, type CpuBackendOptions, type KernelTask, type RangeQueue } from '../src/index.js';
import { randomTensor, sameBits, SuiteRandom, zerosTensor } from './helpers.js';

/**
 * Runs every task in random pieces split at multiples of its grain, in shuffled order — what a
 * threaded backend does — using only the `run` extension point.
 */
class PiecewiseBackend extends CpuBackend {
  readonly #rng: SuiteRandom;

  constructor(seed: number, options?: CpuBackendOptions) {
    super(options);
    this.#rng = new SuiteRandom(seed);
  }

  protected override run(task: KernelTask): void {
    for (const [start, end] of this.pieces(task)) this.execute(task, start, end);
  }

  /** Random grain-aligned pieces of `task`'s units, in shuffled order. */
  protected pieces(task: KernelTask): Array<[number, number]> {
    return randomPieces(this.#rng, task.units, task.grain);
  }

  protected execute(task: KernelTask, start: number, end: number): void {
    runKernel(task, start, end);
  }
}

/**
 * Also moves every tensor into SharedArrayBuffer memory (through `dataOf`) and runs each piece on
 * a structured clone of the task, as a worker receives it from `postMessage`.
 */
class SharedCloneBackend extends PiecewiseBackend {
  protected override dataOf(t: Tensor): TypedArray {
    if (!t.storage.shared) {
      const old = t.storage.data;
      const Ctor = old.constructor as new (buffer: SharedArrayBuffer) => TypedArray;
      t.storage.replace(new Ctor(new SharedArrayBuffer(old.byteLength)) as never);
    }
    return t.data;
  }

  protected override execute(task: KernelTask, start: number, end: number): void {
    runKernel(structuredClone(task), start, end);
  }
}

/**
 * Runs every task through `runKernelQueue`, as pool threads take several ranges of a task each:
 * the random pieces in shuffled order, from two queues. Kernels that prepare once per queue
 * (matmul packs B) must still give each range the bits of one range.
 */
class QueueBackend extends PiecewiseBackend {
  protected override run(task: KernelTask): void {
    const pieces = this.pieces(task);
    let taken = 0;
    // Two queues over one shuffled list, as two threads would take it: the first stops halfway.
    const queue = (until: number): RangeQueue => {
      const q = {
        start: 0,
        end: 0,
        next(): boolean {
          if (taken >= until) return false;
          [q.start, q.end] = pieces[taken++]!;
          return true;
        },
      };
      return q;
    };
    runKernelQueue(task, queue(Math.ceil(pieces.length / 2)));
    runKernelQueue(task, queue(pieces.length));
  }
}

function randomPieces(rng: SuiteRandom, units: number, grain: number): Array<[number, number]> {
  const cuts = new Set<number>([0, units]);
  const pieces = rng.int(1, 6);
  for (let i = 0; i < pieces; i++) cuts.add(Math.min(units, grain * rng.int(0, Math.ceil(units / grain))));
  const sorted = [...cuts].sort((x, y) => x - y);
  const ranges: Array<[number, number]> = [];
  for (let i = 1; i < sorted.length; i++) ranges.push([sorted[i - 1]!, sorted[i]!]);
  // Shuffled: a pool finishes pieces in any order, and scratch memory must not carry over.
  for (let i = ranges.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [ranges[i], ranges[j]] = [ranges[j]!, ranges[i]!];
  }
  return ranges;
}

interface Scenario {
  name: string;
  /** The backends' options (the convolution algorithm). */
  options?: CpuBackendOptions;
  /** Fresh inputs from `rng`; returns the call and every tensor it writes. */
  make(rng: SuiteRandom): { call(b: CpuBackend): void; written: Tensor[] };
}

const f32 = 'float32' as const;
const f64 = 'float64' as const;

function scenarios(): Scenario[] {
  const list: Scenario[] = [];
  const add = (name: string, make: Scenario['make'], options?: CpuBackendOptions): void => {
    list.push({ name, make, options });
  };

  for (const [m, k, n, tA, tB, batch, shared, acc, dt] of [
    [37, 29, 23, false, false, 0, false, false, f32],
    [13, 64, 70, true, false, 0, false, true, f32],
    [9, 17, 5, false, true, 0, false, false, f64],
    [21, 8, 300, true, true, 0, false, false, f32],
    [7, 12, 6, false, false, 3, false, false, f32],
    [5, 10, 9, true, true, 4, true, true, f64],
    [1, 3, 2, false, false, 0, false, false, f32],
    // B too large to pack once per thread: packed again for every range.
    [9, 1030, 520, false, true, 0, false, true, f32],
    [13, 520, 300, true, false, 2, true, false, f64],
  ] as const) {
    add(`matmul ${batch ? `${batch}x` : ''}${m}x${k}x${n} tA=${tA} tB=${tB} shared=${shared} acc=${acc} ${dt}`, (rng) => {
      const aShape = tA ? [k, m] : [m, k];
      const bShape = tB ? [n, k] : [k, n];
      const a = randomTensor(rng, batch ? [batch, ...aShape] : aShape, dt);
      const b = randomTensor(rng, batch && !shared ? [batch, ...bShape] : bShape, dt);
      const out = randomTensor(rng, batch ? [batch, m, n] : [m, n], dt);
      return { call: (be) => be.matmul(a, b, out, { transposeA: tA, transposeB: tB, accumulate: acc }), written: [out] };
    });
  }

  // Every op of the spec tables, so a new op is split-checked the day it is added.
  for (const op of UNARY_OPS) {
    for (const dt of [f32, f64]) {
      add(`unary ${op} ${dt}`, (rng) => {
        const x = randomTensor(rng, [7, 13], dt, -3, 3);
        const out = zerosTensor([7, 13], dt);
        return { call: (be) => be.unary(op, x, out, { alpha: 0.2, min: -0.5, max: 0.7 }), written: [out] };
      });
    }
  }

  const layouts: Array<[string, number[], number[], number[]]> = [
    ['same', [6, 11], [6, 11], [6, 11]],
    ['scalar b', [6, 11], [], [6, 11]],
    ['scalar a', [1, 1], [6, 11], [6, 11]],
    ['row b', [9, 11], [11], [9, 11]],
    ['row a', [1, 11], [9, 11], [9, 11]],
    ['strided', [3, 1, 5], [4, 1], [3, 4, 5]],
    ['strided both', [2, 1, 3, 1], [1, 4, 1, 5], [2, 4, 3, 5]],
  ];
  for (const op of BINARY_OPS) {
    for (const [layout, aShape, bShape, outShape] of layouts) {
      add(`binary ${op} ${layout}`, (rng) => {
        const a = randomTensor(rng, aShape, f32, 0.1, 2);
        const b = randomTensor(rng, bShape, f32, 0.1, 2);
        const out = zerosTensor(outShape, f32);
        return { call: (be) => be.binary(op, a, b, out), written: [out] };
      });
    }
  }

  for (const op of ACTIVATION_OPS) {
    add(`activationBackward ${op}`, (rng) => {
      const saved = randomTensor(rng, [5, 17], f32, -1, 1);
      const dy = randomTensor(rng, [5, 17], f32);
      const dx = zerosTensor([5, 17], f32);
      return { call: (be) => be.activationBackward(op, saved, dy, dx, op === 'leakyRelu' || op === 'elu' ? { alpha: 0.1 } : undefined), written: [dx] };
    });
  }

  for (const op of REDUCE_OPS) {
    for (const [shape, axis] of [
      [[5, 6, 7], 0],
      [[5, 6, 7], 1],
      [[5, 6, 7], 2],
      [[3, 2, 1500], 1],
      [[40, 50], 0],
    ] as const) {
      add(`reduce ${op} ${JSON.stringify(shape)} axis ${axis}`, (rng) => {
        const x = randomTensor(rng, shape, f32);
        const out = zerosTensor(shape.filter((_, i) => i !== axis), f32);
        return { call: (be) => be.reduce(op, x, axis, out), written: [out] };
      });
    }
  }

  for (const op of ['argmax', 'argmin'] as const) {
    for (const axis of [0, 1, -1]) {
      add(`argReduce ${op} axis ${axis}`, (rng) => {
        const x = randomTensor(rng, [6, 7, 8], 'int32', -3, 3);
        const shape = [6, 7, 8].filter((_, i) => i !== (axis + 3) % 3);
        const out = zerosTensor(shape, 'int32');
        return { call: (be) => be.argReduce(op, x, axis, out), written: [out] };
      });
    }
  }

  add('softmax', (rng) => {
    const x = randomTensor(rng, [23, 10], f32, -20, 20);
    const out = zerosTensor([23, 10], f32);
    return { call: (be) => be.softmax(x, out), written: [out] };
  });
  add('logSoftmax', (rng) => {
    const x = randomTensor(rng, [4, 5, 6], f64, -20, 20);
    const out = zerosTensor([4, 5, 6], f64);
    return { call: (be) => be.logSoftmax(x, out), written: [out] };
  });
  add('softmaxBackward', (rng) => {
    const y = randomTensor(rng, [19, 7], f32, 0, 1);
    const dy = randomTensor(rng, [19, 7], f32);
    const dx = zerosTensor([19, 7], f32);
    return { call: (be) => be.softmaxBackward(y, dy, dx), written: [dx] };
  });
  for (const sparse of [false, true]) {
    for (const withGrad of [false, true]) {
      add(`softmaxCrossentropy sparse=${sparse} grad=${withGrad}`, (rng) => {
        const logits = randomTensor(rng, [17, 9], f32, -5, 5);
        const labels = sparse ? randomTensor(rng, [17], 'int32', 0, 8) : randomTensor(rng, [17, 9], f32, 0, 1);
        const losses = zerosTensor([17], f32);
        const dlogits = withGrad ? zerosTensor([17, 9], f32) : null;
        return {
          call: (be) => be.softmaxCrossentropy(logits, labels, losses, dlogits, 1 / 17),
          written: dlogits ? [losses, dlogits] : [losses],
        };
      });
    }
  }

  add('gather', (rng) => {
    const x = randomTensor(rng, [12, 3, 4], f64);
    const indices = randomTensor(rng, [15], 'int32', 0, 11);
    const out = zerosTensor([15, 3, 4], f64);
    return { call: (be) => be.gather(x, indices, out), written: [out] };
  });
  for (const perm of [[1, 0, 2], [2, 0, 1], [0, 2, 1], [2, 1, 0]]) {
    add(`transpose ${JSON.stringify(perm)}`, (rng) => {
      const shape = [4, 5, 6];
      const x = randomTensor(rng, shape, f32);
      const out = zerosTensor(perm.map((p) => shape[p]!), f32);
      return { call: (be) => be.transpose(x, perm, out), written: [out] };
    });
  }
  add('fill', () => {
    const out = zerosTensor([50], f32);
    return { call: (be) => be.fill(out, 0.1), written: [out] };
  });
  add('copy', (rng) => {
    const src = randomTensor(rng, [6, 7], f64);
    const dst = zerosTensor([42], f64);
    return { call: (be) => be.copy(src, dst), written: [dst] };
  });
  for (const [from, to] of [
    [f32, 'int32'],
    [f64, f32],
    ['int32', f64],
  ] as const) {
    add(`cast ${from} to ${to}`, (rng) => {
      const src = randomTensor(rng, [33], from, -100, 100);
      const dst = zerosTensor([33], to);
      return { call: (be) => be.cast(src, dst), written: [dst] };
    });
  }

  add('sgdUpdate', (rng) => {
    const param = randomTensor(rng, [41], f32);
    const grad = randomTensor(rng, [41], f32);
    return { call: (be) => be.sgdUpdate(param, grad, { lr: 0.1, weightDecay: 0.01 }), written: [param] };
  });
  for (const nesterov of [false, true]) {
    add(`momentumUpdate nesterov=${nesterov}`, (rng) => {
      const param = randomTensor(rng, [41], f32);
      const grad = randomTensor(rng, [41], f32);
      const velocity = randomTensor(rng, [41], f32);
      return { call: (be) => be.momentumUpdate(param, grad, velocity, { lr: 0.1, momentum: 0.9, nesterov }), written: [param, velocity] };
    });
  }
  for (const weightDecay of [0, 0.01]) {
    add(`adamUpdate weightDecay=${weightDecay}`, (rng) => {
      const param = randomTensor(rng, [41], f32);
      const grad = randomTensor(rng, [41], f32);
      const m = randomTensor(rng, [41], f32);
      const v = randomTensor(rng, [41], f32, 0, 1);
      const options = { lr: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, step: 3, weightDecay };
      return { call: (be) => be.adamUpdate(param, grad, m, v, options), written: [param, m, v] };
    });
  }
  for (const [momentum, centered] of [[0, false], [0.9, false], [0.9, true]] as const) {
    add(`rmspropUpdate momentum=${momentum} centered=${centered}`, (rng) => {
      const param = randomTensor(rng, [41], f64);
      const grad = randomTensor(rng, [41], f64);
      const meanSquare = randomTensor(rng, [41], f64, 0.5, 1);
      const meanGrad = randomTensor(rng, [41], f64, -0.1, 0.1);
      const buffer = randomTensor(rng, [41], f64);
      const options = { lr: 0.01, rho: 0.9, epsilon: 1e-7, momentum, centered };
      return { call: (be) => be.rmspropUpdate(param, grad, meanSquare, meanGrad, buffer, options), written: [param, meanSquare, meanGrad, buffer] };
    });
  }
  // Convolutions with each algorithm; batch 15 of 28×28 with a 5×5 filter takes two im2col chunks.
  const convs: Array<[string, number[], number[], Parameters<typeof conv2dInfo>[3]]> = [
    ['5x5 same, two chunks', [15, 28, 28, 1], [5, 5, 1, 8], { padding: 'same' }],
    ['even 4x2 same stride 2, dilation [1,2]', [3, 9, 11, 3], [4, 2, 3, 5], { padding: 'same', strides: 2, dilations: [1, 2] }],
    ['3x3 valid', [2, 13, 13, 6], [3, 3, 6, 9], { padding: 'valid' }],
  ];
  for (const convolution of ['im2col', 'direct'] as const) {
    for (const [label, xShape, fShape, geometry] of convs) {
      const info: Conv2dInfo = conv2dInfo('test', xShape, fShape, geometry);
      const dt = xShape[0] === 15 ? f32 : f64;
      add(`conv2d ${convolution} ${label}`, (rng) => {
        const x = randomTensor(rng, xShape, dt);
        const f = randomTensor(rng, fShape, dt);
        const out = zerosTensor(outputShapeOf(info), dt);
        return { call: (be) => be.conv2d(x, f, out, info), written: [out] };
      }, { convolution });
      add(`conv2dBackpropInput ${convolution} ${label}`, (rng) => {
        const dy = randomTensor(rng, outputShapeOf(info), dt);
        const f = randomTensor(rng, fShape, dt);
        const dx = zerosTensor(xShape, dt);
        return { call: (be) => be.conv2dBackpropInput(dy, f, dx, info), written: [dx] };
      }, { convolution });
      for (const accumulate of [false, true]) {
        add(`conv2dBackpropFilter ${convolution} ${label} accumulate=${accumulate}`, (rng) => {
          const x = randomTensor(rng, xShape, dt);
          const dy = randomTensor(rng, outputShapeOf(info), dt);
          const df = randomTensor(rng, fShape, dt);
          return { call: (be) => be.conv2dBackpropFilter(x, dy, df, info, accumulate), written: [df] };
        }, { convolution });
      }
    }
  }
  for (const [label, xShape, geometry] of [
    ['2x2', [3, 10, 9, 4], { poolSize: 2 }],
    ['3x3 stride 2 same', [2, 9, 8, 5], { poolSize: 3, strides: 2, padding: 'same' }],
    ['ties, 2x2 stride 1 same', [2, 6, 7, 3], { poolSize: 2, strides: 1, padding: 'same' }],
  ] as const) {
    const info = pool2dInfo('test', xShape, geometry);
    const input = (rng: SuiteRandom): Tensor => {
      const x = randomTensor(rng, xShape, f32);
      if (label.startsWith('ties')) for (let i = 0; i < x.size; i++) x.data[i] = Math.round(x.data[i]!);
      return x;
    };
    for (const kind of ['maxPool', 'avgPool'] as const) {
      add(`${kind} ${label}`, (rng) => {
        const x = input(rng);
        const out = zerosTensor(outputShapeOf(info), f32);
        return { call: (be) => be[kind](x, out, info), written: [out] };
      });
    }
    add(`maxPoolBackward ${label}`, (rng) => {
      const x = input(rng);
      const dy = randomTensor(rng, outputShapeOf(info), f32);
      const dx = zerosTensor(xShape, f32);
      return { call: (be) => be.maxPoolBackward(x, dy, dx, info), written: [dx] };
    });
    add(`avgPoolBackward ${label}`, (rng) => {
      const dy = randomTensor(rng, outputShapeOf(info), f32);
      const dx = zerosTensor(xShape, f32);
      return { call: (be) => be.avgPoolBackward(dy, dx, info), written: [dx] };
    });
  }
  // Batch normalization: 300 rows are five blocks of partial sums.
  for (const [rows, channels] of [[300, 5], [7, 16]] as const) {
    add(`moments [${rows},${channels}]`, (rng) => {
      const x = randomTensor(rng, [rows, channels], f32, 5, 9);
      const mean = zerosTensor([channels], f32);
      const variance = zerosTensor([channels], f32);
      return { call: (be) => be.moments(x, mean, variance), written: [mean, variance] };
    });
    add(`batchNormalization [${rows},${channels}]`, (rng) => {
      const x = randomTensor(rng, [rows, channels], f32);
      const [mean, variance, scale, offset] = [0, 0.5, 0.5, -1].map((lo) => randomTensor(rng, [channels], f32, lo, lo + 1));
      const out = zerosTensor([rows, channels], f32);
      return { call: (be) => be.batchNormalization(x, mean!, variance!, scale!, offset!, 0.001, out), written: [out] };
    });
    add(`batchNormalizationBackward [${rows},${channels}]`, (rng) => {
      const x = randomTensor(rng, [rows, channels], f64);
      const dy = randomTensor(rng, [rows, channels], f64);
      const [mean, variance, scale] = [0, 0.5, 0.5].map((lo) => randomTensor(rng, [channels], f64, lo, lo + 1));
      const dx = zerosTensor([rows, channels], f64);
      const dscale = zerosTensor([channels], f64);
      const doffset = zerosTensor([channels], f64);
      return { call: (be) => be.batchNormalizationBackward(dy, x, mean!, variance!, scale!, 0.001, dx, dscale, doffset), written: [dx, dscale, doffset] };
    });
  }
  add('where', (rng) => {
    const cond = randomTensor(rng, [5, 17], f32, -1, 1);
    for (let i = 0; i < cond.size; i += 3) cond.data[i] = 0;
    const a = randomTensor(rng, [5, 17], f32);
    const b = randomTensor(rng, [5, 17], f32);
    const out = zerosTensor([5, 17], f32);
    return { call: (be) => be.where(cond, a, b, out), written: [out] };
  });
  return list;
}

describe('a split into grain-aligned ranges gives the same bits as one range', () => {
  const all = scenarios();

  it('covers every Backend kernel', () => {
    const methods = new Set(all.map((s) => s.name.split(' ')[0]));
    const kernelMethods = Object.getOwnPropertyNames(CpuBackend.prototype).filter(
      (p) => p !== 'constructor' && p !== 'dataOf' && p !== 'run' && !p.startsWith('#'),
    );
    expect([...methods].sort()).toEqual(kernelMethods.sort());
  });

  for (const scenario of all) {
    it(scenario.name, () => {
      const whole = scenario.make(new SuiteRandom(1));
      whole.call(new CpuBackend(scenario.options));
      for (const [label, backend] of [
        ['pieces', new PiecewiseBackend(2, scenario.options)],
        ['pieces', new PiecewiseBackend(3, scenario.options)],
        ['shared memory, cloned tasks', new SharedCloneBackend(4, scenario.options)],
        ['two range queues', new QueueBackend(5, scenario.options)],
        ['two range queues', new QueueBackend(6, scenario.options)],
      ] as const) {
        const split = scenario.make(new SuiteRandom(1));
        split.call(backend);
        split.written.forEach((t, i) => {
          const expected = whole.written[i]!;
          if (!sameBits(t.data, expected.data)) {
            expect.fail(`${scenario.name} (${label}): output ${i} differs: ${String(Array.from(t.data))} vs ${String(Array.from(expected.data))}`);
          }
        });
      }
    });
  }
});
