import { broadcastShapes, type DType, type Tensor } from '@scratchnet/tensor';
import { COMPARISON_OPS, type BinaryOp } from '../../backend.js';
import { assertMatches } from '../check.js';
import type { Harness, RandomOptions, SuiteContext } from '../harness.js';

const ARITHMETIC: readonly BinaryOp[] = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'squaredDifference'];
const FLOAT_ONLY: readonly BinaryOp[] = ['div', 'pow'];

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

function inputs(op: BinaryOp, dtype: DType): [RandomOptions, RandomOptions] {
  if (dtype === 'int32') return [{ low: -20, high: 20 }, { low: -20, high: 20 }];
  if (COMPARISON_OPS.includes(op)) return [{ low: -2, high: 2, integers: true }, { low: -2, high: 2, integers: true }];
  if (op === 'pow') return [{ low: 0.5, high: 2 }, { low: -2, high: 2 }];
  return [{ low: -3, high: 3 }, { low: -3, high: 3 }];
}

function randomOperand(h: Harness, op: BinaryOp, shape: readonly number[], dtype: DType, which: 0 | 1): Tensor {
  const t = h.random(shape, dtype, inputs(op, dtype)[which]);
  if (op === 'div' && which === 1) {
    // Keep divisors away from zero: |b| in [0.5, 3).
    for (let i = 0; i < t.size; i++) t.data[i] = (t.data[i]! < 0 ? -0.5 : 0.5) + t.data[i]! * (2.5 / 3);
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
    h.run(what, [other], () => h.backend.binary(op, a, b, target));
    assertMatches(what, target, expected);
  } else {
    const out = h.garbage(shape, outDType);
    h.run(what, [a, b], () => h.backend.binary(op, a, b, out));
    assertMatches(what, out, expected);
  }
}

export function registerBinary(ctx: SuiteContext): void {
  ctx.api.describe('binary', () => {
    for (const op of [...ARITHMETIC, ...COMPARISON_OPS]) {
      const dtypes: DType[] = FLOAT_ONLY.includes(op) ? ['float32', 'float64'] : ['float32', 'float64', 'int32'];
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
