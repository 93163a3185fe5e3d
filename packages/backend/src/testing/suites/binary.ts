import { broadcastShapes, type DType, type Tensor } from '@scratchnet/tensor';
import { BINARY_OPS, COMPARISON_OPS, binarySpec, type BinaryOp } from '../../spec/binary.js';
import { assertMatches } from '../check.js';
import type { Harness, SuiteContext } from '../harness.js';

/** Broadcasting patterns: same shape, scalar, row vector, column vector, general, empty. */
const PATTERNS: ReadonlyArray<readonly [number[], number[]]> = [
  [[5], [5]],
  [[], []],
  [[], [7]],
  [[7], []],
  [[4, 5], [5]],
  [[5], [4, 5]],
  [[4, 5], [1, 5]],
  [[4, 5], [4, 1]],
  [[4, 1], [4, 5]],
  [[4, 1], [1, 5]],
  [[3, 1, 5], [4, 1]],
  [[2, 1, 3, 1], [1, 4, 1, 5]],
  [[1], [6, 1]],
  [[0, 3], [3]],
  [[2, 0], [2, 1]],
  [[33, 65], [65]],
  [[129, 17], [129, 1]],
  [[17, 31], []],
];

function randomOperand(h: Harness, op: BinaryOp, shape: readonly number[], dtype: DType, which: 0 | 1): Tensor {
  const test = binarySpec(op).test;
  const range = dtype === 'int32' ? { low: -20, high: 20 } : which === 0 ? test.a : test.b;
  const t = h.random(shape, dtype, range);
  const away = which === 1 && dtype !== 'int32' ? test.b.awayFromZero : undefined;
  if (away !== undefined) {
    // Keep divisors away from zero: |b| in [away, high).
    const high = Math.max(Math.abs(test.b.low), Math.abs(test.b.high));
    for (let i = 0; i < t.size; i++) t.data[i] = (t.data[i]! < 0 ? -away : away) + t.data[i]! * ((high - away) / high);
  }
  return t;
}

function checkBinary(h: Harness, op: BinaryOp, sa: readonly number[], sb: readonly number[], dtype: DType, outDType: DType, inPlace: '' | 'a' | 'b'): void {
  const a = randomOperand(h, op, sa, dtype, 0);
  const b = randomOperand(h, op, sb, dtype, 1);
  const shape = broadcastShapes(op, sa, sb);
  const expected = h.refZeros(shape, outDType === 'int32' ? 'int32' : 'float64');
  h.ref.binary(op, h.up(a), h.up(b), expected);
  const what = `binary ${op}(${dtype} a [${sa.join(',')}], b [${sb.join(',')}]) -> ${outDType} [${shape.join(',')}]${inPlace ? ` in place over ${inPlace}` : ''}`;
  if (inPlace) {
    const target = inPlace === 'a' ? a : b;
    const other = inPlace === 'a' ? b : a;
    h.run(what, [other], () => h.kernels.binary(op, a, b, target));
    assertMatches(what, target, expected);
  } else {
    const out = h.garbage(shape, outDType);
    h.run(what, [a, b], () => h.kernels.binary(op, a, b, out));
    assertMatches(what, out, expected);
  }
}

export function registerBinary(ctx: SuiteContext): void {
  ctx.api.describe('binary', () => {
    for (const op of BINARY_OPS) {
      const dtypes: DType[] = binarySpec(op).floatOnly ? ['float32', 'float64'] : ['float32', 'float64', 'int32'];
      for (const dtype of dtypes) {
        ctx.test(`${op} ${dtype}: equal shapes of every edge size and broadcasting patterns`, (h) => {
          for (const n of ctx.sizes) checkBinary(h, op, [n], [n], dtype, dtype, '');
          for (const [sa, sb] of PATTERNS) checkBinary(h, op, sa, sb, dtype, dtype, '');
          // In place over the full-shaped operand (how a bias add or an update runs).
          checkBinary(h, op, [4, 5], [5], dtype, dtype, 'a');
          checkBinary(h, op, [33, 1], [33, 65], dtype, dtype, 'b');
          checkBinary(h, op, [7, 9], [7, 9], dtype, dtype, 'a');
        });
      }
    }
    ctx.test('comparisons write 1/0 into a destination of another dtype', (h) => {
      for (const op of COMPARISON_OPS) {
        for (const [dtype, outDType] of [['float32', 'int32'], ['float64', 'float32'], ['int32', 'float64'], ['float32', 'float64']] as const) {
          checkBinary(h, op, [4, 5], [5], dtype, outDType, '');
          checkBinary(h, op, [65], [], dtype, outDType, '');
        }
      }
    });
  });
}
