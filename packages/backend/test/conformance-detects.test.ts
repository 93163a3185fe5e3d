import { describe, expect, it } from 'vitest';
import { sizeOf, type Tensor } from '@scratchnet/tensor';
import type {
  ActivationOp,
  AdamOptions,
  ArgReduceOp,
  Backend,
  BinaryOp,
  Conv2dInfo,
  MatmulOptions,
  ReduceOp,
  UnaryOp,
  UnaryParams,
} from '@scratchnet/backend';
import { ConformanceError, ReferenceBackend, describeConformance } from '@scratchnet/backend/testing';
import { CoreOnlyBackend } from './core-only-backend.js';

// The suite must fail a wrong backend, and say where. Each mutant below is the reference backend
// with one plausible bug; the tests of the matching group must reject it with a message naming
// the kernel, shapes and the first wrong element.

interface Collected {
  name: string;
  fn: () => void | Promise<void>;
}

function collect(makeBackend: () => Backend): Collected[] {
  const tests: Collected[] = [];
  const path: string[] = [];
  describeConformance('mutant', makeBackend, {
    describe(name, fn) {
      path.push(name);
      fn();
      path.pop();
    },
    it(name, fn) {
      tests.push({ name: [...path, name].join(' > '), fn });
    },
  });
  return tests;
}

/** Runs the tests whose name contains `group`; returns the failures' messages. */
async function failures(makeBackend: () => Backend, group: string): Promise<string[]> {
  const selected = collect(makeBackend).filter((t) => t.name.includes(group));
  expect(selected.length).toBeGreaterThan(0);
  const messages: string[] = [];
  for (const t of selected) {
    try {
      await t.fn();
    } catch (err) {
      messages.push(`${t.name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return messages;
}

class DropsKRemainder extends ReferenceBackend {
  // A 4-wide unrolled loop that forgets the k % 4 tail.
  override matmul(a: Tensor, b: Tensor, out: Tensor, options: MatmulOptions = {}): void {
    const k = options.transposeA ? a.shape[a.rank - 2]! : a.shape[a.rank - 1]!;
    if (k % 4 === 0 || a.rank !== 2 || b.rank !== 2 || options.transposeA || options.transposeB) {
      super.matmul(a, b, out, options);
      return;
    }
    const kk = k - (k % 4);
    const m = out.shape[0]!;
    const n = out.shape[1]!;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let q = 0; q < kk; q++) s += a.data[i * k + q]! * b.data[q * n + j]!;
        out.data[i * n + j] = options.accumulate ? out.data[i * n + j]! + s : s;
      }
    }
  }
}

class IgnoresAccumulate extends ReferenceBackend {
  override matmul(a: Tensor, b: Tensor, out: Tensor, options: MatmulOptions = {}): void {
    super.matmul(a, b, out, { ...options, accumulate: false });
  }
}

class SharedBBatchBug extends ReferenceBackend {
  // Treats a shared 2-D b as if it were batched (reads past its end).
  override matmul(a: Tensor, b: Tensor, out: Tensor, options: MatmulOptions = {}): void {
    if (a.rank === 3 && b.rank === 2 && a.shape[0]! > 1) {
      out.data.fill(0);
      return;
    }
    super.matmul(a, b, out, options);
  }
}

class SignOfZeroIsOne extends ReferenceBackend {
  override unary(op: UnaryOp, x: Tensor, out: Tensor, params?: UnaryParams): void {
    super.unary(op, x, out, params);
    if (op === 'sign') for (let i = 0; i < x.size; i++) if (x.data[i] === 0) out.data[i] = 1;
  }
}

class ColumnAsRow extends ReferenceBackend {
  // Broadcasts a smaller b as a trailing row whatever its shape: wrong for column vectors.
  override binary(op: Parameters<Backend['binary']>[0], a: Tensor, b: Tensor, out: Tensor): void {
    if (a.size !== out.size || b.size <= 1 || b.size === out.size || out.size % b.size !== 0) {
      super.binary(op, a, b, out);
      return;
    }
    const rows = out.size / b.size;
    super.binary(op, a.reshape([rows, b.size]), b.reshape([b.size]), out.reshape([rows, b.size]));
  }
}

class LeakyAtZeroUsesOne extends ReferenceBackend {
  override activationBackward(op: ActivationOp, saved: Tensor, dy: Tensor, dx: Tensor, params?: UnaryParams): void {
    super.activationBackward(op, saved, dy, dx, params);
    if (op === 'leakyRelu') for (let i = 0; i < saved.size; i++) if (saved.data[i] === 0) dx.data[i] = dy.data[i]!;
  }
}

class ReluSwallowsNaN extends ReferenceBackend {
  // max(x, 0) written as `x > 0 ? x : 0`: NaN becomes 0.
  override unary(op: UnaryOp, x: Tensor, out: Tensor, params?: UnaryParams): void {
    super.unary(op, x, out, params);
    if (op === 'relu') for (let i = 0; i < x.size; i++) if (Number.isNaN(x.data[i])) out.data[i] = 0;
  }
}

class ReluByMultiplying extends ReferenceBackend {
  // relu as `x * (x > 0)`: -0 for negative inputs, NaN for -Infinity.
  override unary(op: UnaryOp, x: Tensor, out: Tensor, params?: UnaryParams): void {
    if (op !== 'relu') return super.unary(op, x, out, params);
    for (let i = 0; i < x.size; i++) out.data[i] = x.data[i]! * Number(x.data[i]! > 0);
  }
}

class ReluBackwardByMultiplying extends ReferenceBackend {
  // relu backward as `dy * (saved > 0)`: NaN where dy is infinite and saved is not positive.
  override activationBackward(op: ActivationOp, saved: Tensor, dy: Tensor, dx: Tensor, params?: UnaryParams): void {
    if (op !== 'relu') return super.activationBackward(op, saved, dy, dx, params);
    for (let i = 0; i < saved.size; i++) dx.data[i] = dy.data[i]! * Number(saved.data[i]! > 0);
  }
}

class SumSkipsLast extends ReferenceBackend {
  // Sums all but the last element along the axis.
  override reduce(op: Parameters<Backend['reduce']>[0], x: Tensor, axis: number, out: Tensor): void {
    super.reduce(op, x, axis, out);
    const len = x.shape[axis]!;
    if (op !== 'sum' || len < 2) return;
    const outer = sizeOf(x.shape.slice(0, axis));
    const inner = sizeOf(x.shape.slice(axis + 1));
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) out.data[o * inner + j] = out.data[o * inner + j]! - x.data[(o * len + len - 1) * inner + j]!;
    }
  }
}

class LastIndexOnTies extends ReferenceBackend {
  // Non-strict comparison: the last of equal values wins.
  override argReduce(op: Parameters<Backend['argReduce']>[0], x: Tensor, axis: number, out: Tensor): void {
    const outer = sizeOf(x.shape.slice(0, axis));
    const inner = sizeOf(x.shape.slice(axis + 1));
    const len = x.shape[axis]!;
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        let best = 0;
        for (let r = 1; r < len; r++) {
          const v = x.data[(o * len + r) * inner + j]!;
          const current = x.data[(o * len + best) * inner + j]!;
          if (op === 'argmax' ? v >= current : v <= current) best = r;
        }
        out.data[o * inner + j] = best;
      }
    }
  }
}

class UnshiftedSoftmax extends ReferenceBackend {
  override softmax(x: Tensor, out: Tensor): void {
    const c = x.shape[x.rank - 1]!;
    for (let r = 0; r * c < x.size; r++) {
      let total = 0;
      for (let j = 0; j < c; j++) total += Math.exp(x.data[r * c + j]!);
      for (let j = 0; j < c; j++) out.data[r * c + j] = Math.exp(x.data[r * c + j]!) / total;
    }
  }
}

class IgnoresGradScale extends ReferenceBackend {
  override softmaxCrossentropy(logits: Tensor, labels: Tensor, losses: Tensor, dlogits: Tensor | null): void {
    super.softmaxCrossentropy(logits, labels, losses, dlogits, 1);
  }
}

class SoftmaxBackwardWithoutDot extends ReferenceBackend {
  override softmaxBackward(y: Tensor, dy: Tensor, dx: Tensor): void {
    for (let i = 0; i < y.size; i++) dx.data[i] = y.data[i]! * dy.data[i]!;
  }
}

class TransposeAppliesInverse extends ReferenceBackend {
  // Confuses perm with its inverse (the same for swaps, wrong for 3-cycles).
  override transpose(x: Tensor, perm: readonly number[], out: Tensor): void {
    const inverse = perm.map((_, i) => perm.indexOf(i));
    super.transpose(x, inverse, out);
  }
}

class CastRounds extends ReferenceBackend {
  override cast(src: Tensor, dst: Tensor): void {
    for (let i = 0; i < src.size; i++) dst.data[i] = dst.dtype === 'int32' ? Math.round(src.data[i]!) : src.data[i]!;
  }
}

class FillsWholeStorage extends ReferenceBackend {
  override fill(out: Tensor, value: number): void {
    out.storage.data.fill(value);
  }
}

class AdamWithoutBiasCorrection extends ReferenceBackend {
  override adamUpdate(param: Tensor, grad: Tensor, m: Tensor, v: Tensor, options: AdamOptions): void {
    // Pretends every step is a late one: (1 - beta^step) ~ 1.
    super.adamUpdate(param, grad, m, v, { ...options, step: 1e6 });
  }
}

class SoftmaxOverwritesInput extends ReferenceBackend {
  override softmax(x: Tensor, out: Tensor): void {
    super.softmax(x, out);
    if (out !== x && x.size > 0) x.data[0] = 42;
  }
}

class WhereIgnoresCondition extends ReferenceBackend {
  override where(_cond: Tensor, a: Tensor, _b: Tensor, out: Tensor): void {
    for (let i = 0; i < out.size; i++) out.data[i] = a.data[i]!;
  }
}

/** A core-only backend (its fused kernels composed by ops) whose `greater` is `>=` (not `<`). */
class CoreOnlyGreaterOrEqual extends CoreOnlyBackend {
  override binary(op: BinaryOp, a: Tensor, b: Tensor, out: Tensor): void {
    if (op !== 'greater') return super.binary(op, a, b, out);
    super.binary('less', a, b, out);
    for (let i = 0; i < out.size; i++) out.data[i] = 1 - out.data[i]!;
  }
}

/** A core-only backend whose `sum` skips the last element: the composed softmax must show it. */
class CoreOnlySumSkipsLast extends CoreOnlyBackend {
  override reduce(op: ReduceOp, x: Tensor, axis: number, out: Tensor): void {
    new SumSkipsLast().reduce(op, x, axis, out);
  }
}

class SamePadsTopLeft extends ReferenceBackend {
  // Puts the extra padding row of an even filter on top (and the extra column on the left).
  override conv2d(x: Tensor, filter: Tensor, out: Tensor, info: Conv2dInfo): void {
    super.conv2d(x, filter, out, { ...info, padTop: info.padBottom, padBottom: info.padTop, padLeft: info.padRight, padRight: info.padLeft });
  }
}

class BackpropFilterOverwrites extends ReferenceBackend {
  override conv2dBackpropFilter(x: Tensor, dy: Tensor, dfilter: Tensor, info: Conv2dInfo): void {
    super.conv2dBackpropFilter(x, dy, dfilter, info, false);
  }
}

class BackpropInputUndilated extends ReferenceBackend {
  override conv2dBackpropInput(dy: Tensor, filter: Tensor, dx: Tensor, info: Conv2dInfo): void {
    super.conv2dBackpropInput(dy, filter, dx, { ...info, dilationHeight: 1, dilationWidth: 1 });
  }
}

class BackpropInputFlipsFilter extends ReferenceBackend {
  // Rotates the filter by 180° (as a transposed convolution written as a convolution must, once).
  override conv2dBackpropInput(dy: Tensor, filter: Tensor, dx: Tensor, info: Conv2dInfo): void {
    const [fh, fw, c, o] = filter.shape as [number, number, number, number];
    const flipped = filter.reshape(filter.shape);
    const copy = Float64Array.from(filter.data);
    const rotated = new Float64Array(copy.length);
    for (let y = 0; y < fh; y++) {
      for (let x = 0; x < fw; x++) {
        for (let i = 0; i < c * o; i++) rotated[((fh - 1 - y) * fw + (fw - 1 - x)) * c * o + i] = copy[(y * fw + x) * c * o + i]!;
      }
    }
    flipped.data.set(rotated);
    super.conv2dBackpropInput(dy, flipped, dx, info);
    flipped.data.set(copy);
  }
}

class AvgPoolCountsPadding extends ReferenceBackend {
  // Divides by the whole window, padding included (PyTorch's count_include_pad=True).
  override avgPool(x: Tensor, out: Tensor, info: Conv2dInfo): void {
    super.avgPool(x, out, info);
    const taps = info.filterHeight * info.filterWidth;
    for (let n = 0; n < info.batch; n++) {
      for (let oh = 0; oh < info.outHeight; oh++) {
        for (let ow = 0; ow < info.outWidth; ow++) {
          const top = oh * info.strideHeight - info.padTop;
          const left = ow * info.strideWidth - info.padLeft;
          const h = Math.min(top + info.filterHeight, info.inHeight) - Math.max(top, 0);
          const w = Math.min(left + info.filterWidth, info.inWidth) - Math.max(left, 0);
          for (let ch = 0; ch < info.outChannels; ch++) {
            const i = ((n * info.outHeight + oh) * info.outWidth + ow) * info.outChannels + ch;
            out.data[i] = (out.data[i]! * h * w) / taps;
          }
        }
      }
    }
  }
}

class MaxPoolPadsWithZero extends ReferenceBackend {
  // Takes padding positions as 0 rather than ignoring them: wrong for windows of negatives.
  override maxPool(x: Tensor, out: Tensor, info: Conv2dInfo): void {
    super.maxPool(x, out, info);
    if (info.padding !== 'same') return;
    for (let n = 0; n < info.batch; n++) {
      for (let oh = 0; oh < info.outHeight; oh++) {
        for (let ow = 0; ow < info.outWidth; ow++) {
          const top = oh * info.strideHeight - info.padTop;
          const left = ow * info.strideWidth - info.padLeft;
          const padded = top < 0 || left < 0 || top + info.filterHeight > info.inHeight || left + info.filterWidth > info.inWidth;
          if (!padded) continue;
          for (let ch = 0; ch < info.outChannels; ch++) {
            const i = ((n * info.outHeight + oh) * info.outWidth + ow) * info.outChannels + ch;
            out.data[i] = Math.max(out.data[i]!, 0);
          }
        }
      }
    }
  }
}

class MaxPoolBackwardLastOnTies extends ReferenceBackend {
  // Sends the gradient to the last maximum of a window: reversing x's order per window is not
  // possible from outside, so reverse the tie-break by nudging later equal values up.
  override maxPoolBackward(x: Tensor, dy: Tensor, dx: Tensor, info: Conv2dInfo): void {
    const nudged = x.reshape(x.shape);
    const saved = Float64Array.from(x.data);
    for (let i = 0; i < x.size; i++) nudged.data[i] = saved[i]! + i * 1e-9;
    super.maxPoolBackward(nudged, dy, dx, info);
    nudged.data.set(saved);
  }
}

class OnePassVariance extends ReferenceBackend {
  // E[x²] - E[x]² accumulated in the data's own precision: off-centre float32 data loses digits.
  override moments(x: Tensor, mean: Tensor, variance: Tensor): void {
    const channels = mean.size;
    const rows = x.size / channels;
    const round = x.dtype === 'float32' ? Math.fround : (v: number) => v;
    for (let c = 0; c < channels; c++) {
      let sum = 0;
      let squares = 0;
      for (let r = 0; r < rows; r++) {
        const v = x.data[r * channels + c]!;
        sum = round(sum + v);
        squares = round(squares + round(v * v));
      }
      mean.data[c] = sum / rows;
      variance.data[c] = round(squares / rows) - round((sum / rows) ** 2);
    }
  }
}

class BatchNormBackwardWithoutStatistics extends ReferenceBackend {
  // dx = scale · dy / sqrt(variance + ε): the gradient through fixed (inference) statistics.
  override batchNormalizationBackward(
    dy: Tensor,
    x: Tensor,
    mean: Tensor,
    variance: Tensor,
    scale: Tensor | null,
    epsilon: number,
    dx: Tensor,
    dscale: Tensor,
    doffset: Tensor,
  ): void {
    super.batchNormalizationBackward(dy, x, mean, variance, scale, epsilon, dx, dscale, doffset);
    const channels = mean.size;
    for (let i = 0; i < dx.size; i++) {
      const c = i % channels;
      dx.data[i] = ((scale === null ? 1 : scale.data[c]!) * dy.data[i]!) / Math.sqrt(variance.data[c]! + epsilon);
    }
  }
}

/** A core-only backend whose argmax keeps the last index on ties: the composed max pool gradient must show it. */
class CoreOnlyLastIndexOnTies extends CoreOnlyBackend {
  override argReduce(op: ArgReduceOp, x: Tensor, axis: number, out: Tensor): void {
    new LastIndexOnTies().argReduce(op, x, axis, out);
  }
}

const MUTANTS: ReadonlyArray<readonly [string, () => Backend, string, RegExp]> = [
  ['matmul that drops the k % 4 tail', () => new DropsKRemainder(), '> matmul >', /matmul\(float(32|64) a \[\d+,\d+\], b \[\d+,\d+\]/],
  ['matmul that ignores accumulate', () => new IgnoresAccumulate(), '> matmul >', /accumulate=true/],
  ['batched matmul that mishandles a shared 2-D b', () => new SharedBBatchBug(), 'shared b', /matmul\(.*a \[\d+,\d+,\d+\], b \[\d+,\d+\]/],
  ['sign(0) = 1', () => new SignOfZeroIsOne(), '> unary > sign', /unary sign/],
  ['binary that treats every small operand as a row', () => new ColumnAsRow(), '> binary >', /binary \w+\(.*b \[\d+,1\]/],
  ['leakyRelu backward with slope 1 at 0', () => new LeakyAtZeroUsesOne(), '> activationBackward > leakyRelu', /activationBackward leakyRelu/],
  ['relu that turns NaN into 0', () => new ReluSwallowsNaN(), '> special values', /unary relu\(float(32|64) \[133\] of special values\): element \[\d+\] is 0, expected NaN/],
  ['relu that gives -0 for negative inputs', () => new ReluByMultiplying(), '> special values', /unary relu.*is (-0|NaN), expected 0/],
  ['relu backward that multiplies by the mask', () => new ReluBackwardByMultiplying(), '> special values', /activationBackward relu.*is (NaN|-0), expected 0/],
  ['sum that skips the last element', () => new SumSkipsLast(), '> reduce > sum', /reduce sum/],
  ['argmax/argmin keeping the last index on ties', () => new LastIndexOnTies(), '> argReduce >', /argReduce arg(max|min)/],
  ['softmax without the max shift', () => new UnshiftedSoftmax(), '±1e4', /softmax\(.*logits near ±1e4/],
  ['softmaxCrossentropy ignoring gradScale', () => new IgnoresGradScale(), '> softmaxCrossentropy >', /dlogits/],
  ['softmaxBackward without the dot product', () => new SoftmaxBackwardWithoutDot(), 'softmaxBackward', /softmaxBackward/],
  ['transpose that applies the inverse permutation', () => new TransposeAppliesInverse(), '> transpose >', /transpose\(.*perm \[/],
  ['cast that rounds instead of truncating', () => new CastRounds(), '> cast float', /cast\(float(32|64) .* -> int32\)/],
  ['fill that writes past a slice', () => new FillsWholeStorage(), '> fill ', /fill\(.*rows 2\.\.4/],
  ['Adam without bias correction', () => new AdamWithoutBiasCorrection(), 'adamUpdate', /adamUpdate/],
  ['softmax that writes into its input', () => new SoftmaxOverwritesInput(), '> softmax > softmax float', /was modified/],
  ['where that ignores its condition', () => new WhereIgnoresCondition(), '> where >', /where\(/],
  ['a core-only backend whose greater is >= (composed relu backward)', () => new CoreOnlyGreaterOrEqual(), '> activationBackward > relu', /activationBackward relu/],
  ['a core-only backend whose sum skips the last element (composed softmax)', () => new CoreOnlySumSkipsLast(), '> softmax > softmax float', /softmax\(/],
  ["conv2d padding an even filter's extra row on top", () => new SamePadsTopLeft(), '> conv2d > conv2d float', /conv2d\(.* padding 'same'\): element/],
  ['conv2dBackpropFilter ignoring accumulate', () => new BackpropFilterOverwrites(), '> conv2d > conv2dBackpropFilter', /conv2dBackpropFilter\(.*\) accumulate/],
  ['conv2dBackpropInput ignoring dilation', () => new BackpropInputUndilated(), '> conv2d > conv2dBackpropInput', /conv2dBackpropInput\(.*dilations 2x/],
  ['conv2dBackpropInput rotating the filter', () => new BackpropInputFlipsFilter(), 'gradients agree', /conv2dBackpropInput .* vs finite differences of conv2d/],
  ['avgPool dividing by the padded window', () => new AvgPoolCountsPadding(), '> pooling > maxPool and avgPool', /avgPool\(.*padding 'same'/],
  ['maxPool taking padding as 0', () => new MaxPoolPadsWithZero(), '> pooling > maxPool and avgPool', /maxPool\(.*padding 'same'/],
  ['maxPoolBackward sending ties to the last maximum', () => new MaxPoolBackwardLastOnTies(), '> pooling > maxPoolBackward', /maxPoolBackward\(.*ties values/],
  ['moments with a one-pass variance', () => new OnePassVariance(), '> batch normalization > moments float32', /moments\(float32 .*\) variance/],
  ['batch normalization gradient ignoring the batch statistics', () => new BatchNormBackwardWithoutStatistics(), '> batch normalization > batchNormalizationBackward', /batchNormalizationBackward\(.*\) dx/],
  ['a core-only backend whose argmax takes the last tie (composed maxPoolBackward)', () => new CoreOnlyLastIndexOnTies(), '> pooling > maxPoolBackward', /maxPoolBackward\(.*ties values/],
];

describe('the conformance suite rejects wrong backends', () => {
  for (const [what, make, group, message] of MUTANTS) {
    it(`catches ${what}`, async () => {
      const found = await failures(make, group);
      expect(found.length, `no test in "${group}" failed`).toBeGreaterThan(0);
      expect(found.some((m) => message.test(m)), found.slice(0, 3).join('\n')).toBe(true);
    });
  }

  it('names the first wrong element with both values', async () => {
    const [first] = await failures(() => new IgnoresAccumulate(), 'accumulate adds to out, float64');
    expect(first).toMatch(/element \[\d+,\d+\] of \[\d+,\d+\] is -?[\d.e+-]+, expected -?[\d.e+-]+ \(\|difference\| .* > tolerance .*\); \d+ of \d+ elements differ/);
  });

  it('throws ConformanceError, and the reference backend passes the same groups', async () => {
    const t = collect(() => new CastRounds()).find((c) => c.name.includes('> cast float64 -> int32'))!;
    await expect(async () => t.fn()).rejects.toBeInstanceOf(ConformanceError);
    expect(await failures(() => new ReferenceBackend(), '> cast ')).toEqual([]);
  });

  it('disposes each backend it makes', async () => {
    let made = 0;
    let disposed = 0;
    const tests = collect(() => {
      made++;
      const b = new ReferenceBackend() as ReferenceBackend & { dispose(): void };
      b.dispose = () => void disposed++;
      return b;
    }).filter((t) => t.name.includes('> gather >'));
    for (const t of tests) await t.fn();
    expect(made).toBe(tests.length);
    expect(disposed).toBe(made);
  });
});
