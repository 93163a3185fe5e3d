import fc from 'fast-check';
import { it } from 'vitest';
import {
  ACTIVATION_OPS,
  ARG_REDUCE_OPS,
  BINARY_OPS,
  REDUCE_OPS,
  UNARY_OPS,
  activationBackward,
  argmax,
  argmin,
  binarySpec,
  cast,
  gather,
  logSoftmax,
  matmul,
  max,
  mean,
  min,
  softmax,
  softmaxCrossentropy,
  sum,
  transpose,
  unaryOp,
  unarySpec,
  where,
  withBackend,
  type Backend,
  type UnaryParams,
} from '@scratchnet/backend';
import * as ops from '@scratchnet/backend';
import { ReferenceBackend, SuiteRandom } from '@scratchnet/backend/testing';
import { ScratchnetError, tensor, zeros, type DType, type Tensor } from '@scratchnet/tensor';

/**
 * Property tests of the ops on a backend against the reference backend: random ops, shapes,
 * dtypes, views (slices and reshapes of larger tensors) and values that include NaN, ±Infinity,
 * ±0 and subnormals. Every case must end either in results that match the reference's, or, on
 * both, in the same typed error (ops validate before any kernel runs). An untyped error, a
 * mismatch or a hang (the test's timeout) fails the test and fast-check prints the seed and the
 * shrunk case: rerun it with SCRATCHNET_PROPERTY_SEED. SCRATCHNET_PROPERTY_RUNS sets the number
 * of cases (1,500 by default, what CI runs).
 */
export function describeOpProperties(name: string, makeBackend: () => Backend): void {
  const runs = Number(process.env.SCRATCHNET_PROPERTY_RUNS ?? 1500);
  const seed = process.env.SCRATCHNET_PROPERTY_SEED === undefined ? undefined : Number(process.env.SCRATCHNET_PROPERTY_SEED);
  it(`${name}: ${runs} random op cases agree with the reference backend or fail alike with a typed error`, () => {
    const backend = makeBackend();
    const reference = new ReferenceBackend();
    try {
      fc.assert(
        fc.property(recipe, (r) => checkRecipe(backend, reference, r)),
        { numRuns: runs, ...(seed === undefined ? {} : { seed }), endOnFailure: false },
      );
    } finally {
      backend.dispose?.();
    }
  }, 600_000);
}

/** How values are drawn: ordinary numbers, or with specials mixed in (`wide` adds huge finite ones). */
type ValueKind = 'plain' | 'specials' | 'wide';

interface InputSpec {
  shape: number[];
  dtype: DType;
  values: ValueKind;
  /** 0: a tensor of its own; 1: rows of a larger tensor; 2: a reshape of a flat tensor. */
  view: 0 | 1 | 2;
}

interface Recipe {
  family: string;
  op: string;
  inputs: InputSpec[];
  /** Everything else the op takes (axes, flags, parameters), as JSON-able data. */
  args: Record<string, unknown>;
  seed: number;
}

const SPECIALS = [NaN, Infinity, -Infinity, 0, -0, 1e-40, -1e-40, 5e-324, -5e-324, 1, -1, 0.5];
const WIDE = [3.4e38, -3.4e38, 1.7e308, -1.7e308];

const dim = fc.integer({ min: 0, max: 6 });
const posDim = fc.integer({ min: 1, max: 6 });
const shape = (maxRank = 3) => fc.array(dim, { minLength: 0, maxLength: maxRank });
const dtype = fc.constantFrom<DType>('float32', 'float64', 'int32');
const floatDType = fc.constantFrom<DType>('float32', 'float64');
const values = fc.constantFrom<ValueKind>('plain', 'specials', 'wide');
/** Accumulating ops sum many terms: huge finite values would overflow differently by order. */
const sumValues = fc.constantFrom<ValueKind>('plain', 'specials');
const view = fc.constantFrom<0 | 1 | 2>(0, 1, 2);
const input = (s: fc.Arbitrary<number[]>, d: fc.Arbitrary<DType>, v: fc.Arbitrary<ValueKind>) =>
  fc.record({ shape: s, dtype: d, values: v, view });

/** Broadcast-compatible shapes most of the time, arbitrary (often incompatible) ones sometimes. */
const shapePair = fc.oneof(
  { weight: 4, arbitrary: shape(3).chain((s) => fc.tuple(fc.constant(s), fc.constant(s.map((d, i) => (i % 2 === 0 ? d : 1))))) },
  { weight: 2, arbitrary: shape(3).chain((s) => fc.tuple(fc.constant(s), fc.constant(s.slice(1)))) },
  { weight: 1, arbitrary: fc.tuple(shape(2), shape(2)) },
);

const unaryRecipe = fc.record({
  family: fc.constant('unary'),
  op: fc.constantFrom(...UNARY_OPS),
  inputs: fc.tuple(input(shape(3), dtype, values)),
  args: fc.record({ alpha: fc.constantFrom(undefined, 0, 0.2, 1.5, -1, NaN), bounds: fc.constantFrom<[number, number] | undefined>(undefined, [-1, 1], [0, Infinity], [2, 1]) }),
  seed: fc.nat(),
});

const binaryRecipe = fc.record({
  family: fc.constant('binary'),
  op: fc.constantFrom(...BINARY_OPS),
  inputs: fc.tuple(shapePair, dtype, values, values, view, view).map(([[sa, sb], d, va, vb, wa, wb]) => [
    { shape: sa, dtype: d, values: va, view: wa },
    { shape: sb, dtype: d, values: vb, view: wb },
  ]),
  args: fc.constant({}),
  seed: fc.nat(),
});

const whereRecipe = fc.record({
  family: fc.constant('where'),
  op: fc.constant('where'),
  inputs: fc.tuple(shapePair, dtype, dtype, values, view).map(([[sa, sb], dc, d, v, w]) => [
    { shape: sa, dtype: dc, values: 'specials' as ValueKind, view: w },
    { shape: sb, dtype: d, values: v, view: 0 as const },
    { shape: sa, dtype: d, values: v, view: 1 as const },
  ]),
  args: fc.constant({}),
  seed: fc.nat(),
});

const reduceRecipe = fc.record({
  family: fc.constant('reduce'),
  op: fc.constantFrom(...REDUCE_OPS, ...ARG_REDUCE_OPS),
  inputs: fc.tuple(input(shape(4), dtype, sumValues)),
  args: fc.record({ axes: fc.array(fc.integer({ min: -4, max: 3 }), { maxLength: 3 }), keepDims: fc.boolean(), all: fc.boolean() }),
  seed: fc.nat(),
});

const softmaxRecipe = fc.record({
  family: fc.constant('softmax'),
  op: fc.constantFrom('softmax', 'logSoftmax'),
  inputs: fc.tuple(input(fc.array(posDim, { minLength: 1, maxLength: 3 }), floatDType, sumValues)),
  args: fc.record({ axis: fc.integer({ min: -3, max: 2 }) }),
  seed: fc.nat(),
});

const matmulRecipe = fc.record({
  family: fc.constant('matmul'),
  op: fc.constant('matmul'),
  inputs: fc
    .tuple(dim, dim, dim, fc.boolean(), fc.boolean(), fc.constantFrom(0, 1, 2), floatDType, sumValues, view)
    .map(([m, k, n, ta, tb, batch, d, v, w]) => {
      const a = ta ? [k, m] : [m, k];
      const b = tb ? [n, k] : [k, n];
      return [
        { shape: batch > 0 ? [batch, ...a] : a, dtype: d, values: v, view: w },
        { shape: batch === 2 ? [batch, ...b] : b, dtype: d, values: v, view: 0 as const },
      ];
    }),
  args: fc.record({ transposeA: fc.boolean(), transposeB: fc.boolean() }),
  seed: fc.nat(),
});

const dataRecipe = fc.record({
  family: fc.constant('data'),
  op: fc.constantFrom('gather', 'transpose', 'cast'),
  inputs: fc.tuple(input(fc.array(dim, { minLength: 1, maxLength: 3 }), dtype, values)),
  args: fc.record({ indices: fc.array(fc.integer({ min: -1, max: 6 }), { maxLength: 5 }), to: dtype, reverse: fc.boolean() }),
  seed: fc.nat(),
});

// What an activation saves is an input or output of moderate size; huge values would make the
// composed forms (which round at each step) overflow where the fused ones (in float64) do not.
const backwardRecipe = fc.record({
  family: fc.constant('activationBackward'),
  op: fc.constantFrom(...ACTIVATION_OPS),
  inputs: fc.tuple(shape(3), floatDType, sumValues).map(([s, d, v]) => [
    { shape: s, dtype: d, values: v, view: 1 as const },
    { shape: s, dtype: d, values: v, view: 0 as const },
  ]),
  args: fc.constant({}),
  seed: fc.nat(),
});

const sceRecipe = fc.record({
  family: fc.constant('softmaxCrossentropy'),
  op: fc.constantFrom('sparse', 'dense'),
  inputs: fc.tuple(dim, posDim, floatDType, sumValues).map(([n, c, d, v]) => [
    { shape: [n, c], dtype: d, values: v, view: 1 as const },
    { shape: [n], dtype: 'int32' as DType, values: 'plain' as ValueKind, view: 0 as const },
  ]),
  args: fc.record({ gradScale: fc.constantFrom(1, 0.25) }),
  seed: fc.nat(),
});

const recipe: fc.Arbitrary<Recipe> = fc.oneof(
  unaryRecipe,
  binaryRecipe,
  whereRecipe,
  reduceRecipe,
  softmaxRecipe,
  matmulRecipe,
  dataRecipe,
  backwardRecipe,
  sceRecipe,
) as fc.Arbitrary<Recipe>;

function draw(rng: SuiteRandom, kind: ValueKind, dtype: DType): number {
  if (dtype === 'int32') return rng.int(-5, 5);
  const u = rng.next();
  if (kind !== 'plain' && u < 0.25) return rng.pick(SPECIALS);
  if (kind === 'wide' && u < 0.35) return rng.pick(WIDE);
  return rng.uniform(-3, 3);
}

/**
 * A tensor of `spec`, built the same way for each backend from the recipe's seed. Made by the
 * library (`zeros`), as a backend may move such tensors into its own memory.
 */
function build(spec: InputSpec, seed: number, index: number): Tensor {
  const rng = new SuiteRandom((seed * 31 + index) >>> 0);
  const size = spec.shape.reduce((p, d) => p * d, 1);
  const filled = (shape: number[]): Tensor => {
    const t = zeros(shape, { dtype: spec.dtype });
    for (let i = 0; i < t.size; i++) t.data[i] = draw(rng, spec.values, spec.dtype);
    return t;
  };
  if (spec.view === 1 && spec.shape.length > 0) {
    // Rows 2.. of a tensor with two more leading rows.
    const rows = spec.shape[0]!;
    return filled([rows + 2, ...spec.shape.slice(1)]).slice(2, rows + 2);
  }
  if (spec.view === 2) return filled([size]).reshape(spec.shape);
  return filled(spec.shape);
}

type Outcome = { ok: true; results: Tensor[] } | { ok: false; error: unknown };

function run(backend: Backend, r: Recipe): Outcome {
  const t = r.inputs.map((spec, i) => build(spec, r.seed, i));
  try {
    return { ok: true, results: withBackend(backend, () => apply(r, t)) };
  } catch (error) {
    return { ok: false, error };
  }
}

function apply(r: Recipe, t: Tensor[]): Tensor[] {
  const a = r.args;
  switch (r.family) {
    case 'unary': {
      const spec = unarySpec(r.op as never);
      const params: UnaryParams = {};
      if ('alpha' in spec.params && a.alpha !== undefined) params.alpha = a.alpha as number;
      if ('alpha' in spec.params && r.op === 'scale' && a.alpha === undefined) params.alpha = 2;
      if ('min' in spec.params) [params.min, params.max] = (a.bounds as [number, number] | undefined) ?? [-1, 1];
      return [unaryOp(r.op as never, t[0]!, { params })];
    }
    case 'binary':
      return [binaryOp(r.op, t[0]!, t[1]!)];
    case 'where':
      return [where(t[0]!, t[1]!, t[2]!)];
    case 'reduce': {
      const axis = a.all ? undefined : (a.axes as number[]);
      if (r.op === 'argmax' || r.op === 'argmin') {
        const f = r.op === 'argmax' ? argmax : argmin;
        return [f(t[0]!, { axis: axis?.[0] ?? -1, keepDims: a.keepDims as boolean })];
      }
      const f = { sum, mean, max, min }[r.op as 'sum']!;
      return [f(t[0]!, { axis, keepDims: a.keepDims as boolean })];
    }
    case 'softmax':
      return [(r.op === 'softmax' ? softmax : logSoftmax)(t[0]!, { axis: a.axis as number })];
    case 'matmul':
      return [matmul(t[0]!, t[1]!, { transposeA: a.transposeA as boolean, transposeB: a.transposeB as boolean })];
    case 'data':
      if (r.op === 'gather') return [gather(t[0]!, tensor(a.indices as number[], { dtype: 'int32' }))];
      if (r.op === 'transpose') return [transpose(t[0]!, a.reverse ? undefined : t[0]!.shape.map((_, i) => i))];
      return [cast(t[0]!, a.to as DType)];
    case 'activationBackward':
      return [activationBackward(r.op as never, t[0]!, t[1]!)];
    case 'softmaxCrossentropy': {
      const [logits, labels] = t as [Tensor, Tensor];
      const c = logits.shape[1]!;
      for (let i = 0; i < labels.size; i++) labels.data[i] = Math.abs(labels.data[i]!) % c;
      const target = r.op === 'sparse' ? labels : oneHot(labels, c, logits.dtype);
      const { losses, dlogits } = softmaxCrossentropy(logits, target, { withGrad: true, gradScale: a.gradScale as number });
      return [losses, dlogits!];
    }
    default:
      throw new Error(`op-properties: no family ${r.family}`);
  }
}

function binaryOp(op: string, x: Tensor, y: Tensor): Tensor {
  // The ops front-end by name, through the spec's list (every binary op has a function of its name).
  return (binaryFunctions as Record<string, (a: Tensor, b: Tensor) => Tensor>)[op]!(x, y);
}

const binaryFunctions = Object.fromEntries(BINARY_OPS.map((op) => [op, (ops as unknown as Record<string, unknown>)[op]]));
if (BINARY_OPS.some((op) => typeof binaryFunctions[op] !== 'function')) {
  throw new Error(`op-properties: binary ops without a function of their name: ${BINARY_OPS.filter((op) => typeof binaryFunctions[op] !== 'function').join(', ')}`);
}

function oneHot(labels: Tensor, c: number, dtype: DType): Tensor {
  const y = zeros([labels.size, c], { dtype });
  for (let i = 0; i < labels.size; i++) y.data[i * c + labels.data[i]!] = 1;
  return y;
}

/** Families whose results are the reference's bit for bit (selection, data movement, one rounding). */
const EXACT = new Set(['where', 'data']);

function checkRecipe(backend: Backend, reference: Backend, r: Recipe): void {
  const expected = run(reference, r);
  const got = run(backend, r);
  const describe = `${r.family} ${r.op} on ${r.inputs.map((s) => `${s.dtype} [${s.shape.join(',')}]`).join(', ')} ${JSON.stringify(r.args)}`;
  if (!expected.ok) {
    if (!(expected.error instanceof ScratchnetError)) throw new Error(`the reference failed untyped on ${describe}: ${String(expected.error)}`);
    if (got.ok) throw new Error(`${describe}: the reference refused it (${String(expected.error)}), the backend computed it`);
    if (!(got.error instanceof ScratchnetError) || got.error.message !== expected.error.message) {
      throw new Error(`${describe}: expected ${String(expected.error)}, got ${String(got.error)}`);
    }
    return;
  }
  if (!got.ok) throw new Error(`${describe}: the backend threw ${String(got.error)} where the reference computed a result`);
  expected.results.forEach((e, i) => compare(`${describe}, result ${i}`, got.results[i]!, e, r));
}

function compare(what: string, got: Tensor, expected: Tensor, r: Recipe): void {
  if (got.dtype !== expected.dtype || got.shape.join() !== expected.shape.join()) {
    throw new Error(`${what}: ${got.dtype} [${got.shape.join(',')}], expected ${expected.dtype} [${expected.shape.join(',')}]`);
  }
  const exact = EXACT.has(r.family) || got.dtype === 'int32' || (r.family === 'binary' && binarySpec(r.op as never).comparison);
  const rtol = got.dtype === 'float32' ? 2e-5 : 1e-11;
  // Below the smallest normal number, rounding differs in absolute, not relative, terms.
  const atol = got.dtype === 'float32' ? 1.2e-38 : 2.3e-308;
  // Sums over many terms may cancel: allow for the largest input magnitude.
  const mag = r.family === 'unary' || r.family === 'binary' || r.family === 'activationBackward' ? 0 : inputMagnitude(r);
  for (let i = 0; i < got.size; i++) {
    const g = got.data[i]!;
    const e = expected.data[i]!;
    if (g === e || (Number.isNaN(g) && Number.isNaN(e))) continue;
    if (!exact && Number.isFinite(g) && Number.isFinite(e) && Math.abs(g - e) <= rtol * (Math.abs(e) + mag) + atol) continue;
    throw new Error(`${what}: element ${i} is ${g}, the reference gives ${e}`);
  }
}

function inputMagnitude(r: Recipe): number {
  const k = r.family === 'matmul' ? Math.max(...r.inputs[0]!.shape, 1) : r.inputs[0]!.shape.reduce((p, d) => p * Math.max(d, 1), 1);
  return 9 * k + 10;
}

