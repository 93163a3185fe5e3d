import type { ParamSpec, ResolvedUnaryParams, UnaryParamName } from './params.js';
import type { ActivationFacts } from './activation-facts.js';

/**
 * # Unary ops: one row per op
 *
 * Everything the library knows about an elementwise op lives in its row, and every other place
 * reads it: `ops` validation (float-only, parameters and their one default), the reference
 * backend and the portable fallback (the scalar `forward`), the conformance cases (`test`), the
 * cpu planner's cost, and, for activations, the layers' names, serialization and TF.js mapping
 * (`activation`). Adding an op is adding a row here and its kernels; see CONTRIBUTING.md.
 */
export interface UnaryOpSpec {
  /** One line for docs and error messages. */
  readonly doc: string;
  /**
   * The op on one float64 number: the reference. NaN must come out NaN for every op (written so
   * that comparisons against NaN fall through to the NaN itself).
   */
  readonly forward: (x: number, p: ResolvedUnaryParams) => number;
  /** Whether int32 input is refused (the result is not an integer). */
  readonly floatOnly: boolean;
  /** Rough float64 operations per element, for a threaded backend's inline threshold. */
  readonly cost: number;
  /** The parameters the op reads, with their defaults and rules. */
  readonly params: Readonly<Partial<Record<UnaryParamName, ParamSpec>>>;
  /** Conformance inputs: a float range (and exact zeros every `zeroEvery` elements). */
  readonly test: UnaryTestSpec;
  /** Present when the op is an activation with a backward form. */
  readonly activation?: ActivationFacts;
}

/** How the conformance suite draws inputs for a unary op. */
export interface UnaryTestSpec {
  readonly low: number;
  readonly high: number;
  readonly zeroEvery?: number;
  /** Parameters the conformance cases pass (defaults are used for the rest). */
  readonly params?: Readonly<Partial<Record<UnaryParamName, number>>>;
  /**
   * Checked bit for bit on NaN, ±Infinity, ±0 and subnormals: ops that select or flip bits
   * rather than round, where any backend can and must be exact.
   */
  readonly exactOnSpecials?: boolean;
}

/** Cost of a transcendental function (exp, log, tanh) relative to an add, for the planner. */
export const TRANSCENDENTAL_COST = 20;

/** Logistic function without overflow: exp is only ever taken of a non-positive number. */
export function sigmoidScalar(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

/** Every unary op, one row each: the single source of facts about it (see `UnaryOpSpec`). */
export const UNARY_SPECS = {
  neg: { doc: '-x', forward: (x) => -x, floatOnly: false, cost: 1, params: {}, test: { low: -3, high: 3, exactOnSpecials: true } },
  abs: { doc: '|x|', forward: (x) => Math.abs(x), floatOnly: false, cost: 1, params: {}, test: { low: -3, high: 3, zeroEvery: 5, exactOnSpecials: true } },
  sign: {
    doc: '-1, 0 or 1 by the sign of x (±0 and NaN pass through)',
    forward: (x) => Math.sign(x),
    floatOnly: false,
    cost: 1,
    params: {},
    test: { low: -3, high: 3, zeroEvery: 4, exactOnSpecials: true },
  },
  exp: { doc: 'e^x', forward: (x) => Math.exp(x), floatOnly: true, cost: TRANSCENDENTAL_COST, params: {}, test: { low: -10, high: 10 } },
  log: { doc: 'natural logarithm', forward: (x) => Math.log(x), floatOnly: true, cost: TRANSCENDENTAL_COST, params: {}, test: { low: 0.01, high: 50 } },
  sqrt: { doc: 'square root', forward: (x) => Math.sqrt(x), floatOnly: true, cost: 4, params: {}, test: { low: 0, high: 50 } },
  square: { doc: 'x²', forward: (x) => x * x, floatOnly: false, cost: 1, params: {}, test: { low: -5, high: 5 } },
  reciprocal: { doc: '1 / x', forward: (x) => 1 / x, floatOnly: true, cost: 2, params: {}, test: { low: 0.1, high: 5 } },
  relu: {
    doc: 'max(x, 0); relu(-0) is +0',
    // Written so that NaN fails the test and passes through, as in PyTorch.
    forward: (x) => (x <= 0 ? 0 : x),
    floatOnly: false,
    cost: 1,
    params: {},
    test: { low: -3, high: 3, zeroEvery: 6, exactOnSpecials: true },
    activation: {
      saves: 'input',
      // The derivative at 0 is that of x <= 0 (0), as in PyTorch and TensorFlow.
      backward: (x, dy) => (x > 0 ? dy : 0),
      backwardCost: 2,
      kerasName: 'relu',
      layerClass: 'ReLU',
      tfjs: { activation: true, layer: { className: 'ReLU' } },
    },
  },
  leakyRelu: {
    doc: 'x where x > 0, else alpha * x',
    forward: (x, p) => (x > 0 ? x : p.alpha * x),
    floatOnly: true,
    cost: 1,
    params: { alpha: { default: 0.3, rule: 'finiteNonNegative', doc: 'slope for x <= 0 (0.3, as Keras and TensorFlow.js LeakyReLU; >= 0, as Keras requires)' } },
    test: { low: -3, high: 3, zeroEvery: 6, params: { alpha: 0.1 }, exactOnSpecials: true },
    activation: {
      saves: 'input',
      backward: (x, dy, p) => (x > 0 ? dy : p.alpha * dy),
      backwardCost: 2,
      kerasName: 'leaky_relu',
      layerClass: 'LeakyReLU',
      tfjs: { activation: false, layer: { className: 'LeakyReLU' } },
    },
  },
  elu: {
    doc: 'x where x > 0, else alpha * (e^x - 1)',
    forward: (x, p) => (x > 0 ? x : p.alpha * Math.expm1(x)),
    floatOnly: true,
    cost: TRANSCENDENTAL_COST,
    params: {
      alpha: { default: 1, rule: 'finiteNonNegative', doc: 'the value approached as x → -∞ is -alpha (1, as Keras and TensorFlow.js)' },
    },
    test: { low: -4, high: 3, zeroEvery: 6, params: { alpha: 0.7 } },
    activation: {
      // From the output: y > 0 exactly where x > 0 (alpha >= 0), and for x <= 0 the
      // derivative alpha * e^x is y + alpha. No exp in the backward pass.
      saves: 'output',
      backward: (y, dy, p) => (y > 0 ? dy : dy * (y + p.alpha)),
      backwardCost: 3,
      kerasName: 'elu',
      layerClass: 'ELU',
      // tfjs-layers' ELU throws NotImplementedError for any other alpha.
      tfjs: { activation: true, layer: { className: 'ELU', supports: { alpha: 1 } } },
    },
  },
  sigmoid: {
    doc: '1 / (1 + e^-x)',
    forward: sigmoidScalar,
    floatOnly: true,
    cost: TRANSCENDENTAL_COST,
    params: {},
    test: { low: -20, high: 20 },
    activation: {
      saves: 'output',
      backward: (y, dy) => dy * y * (1 - y),
      backwardCost: 3,
      kerasName: 'sigmoid',
      layerClass: 'Sigmoid',
      tfjs: { activation: true },
    },
  },
  tanh: {
    doc: 'hyperbolic tangent',
    forward: (x) => Math.tanh(x),
    floatOnly: true,
    cost: TRANSCENDENTAL_COST,
    params: {},
    test: { low: -5, high: 5 },
    activation: {
      saves: 'output',
      backward: (y, dy) => dy * (1 - y * y),
      backwardCost: 3,
      kerasName: 'tanh',
      layerClass: 'Tanh',
      tfjs: { activation: true },
    },
  },
  clip: {
    doc: 'min(max(x, min), max)',
    forward: (x, p) => (x < p.min ? p.min : x > p.max ? p.max : x),
    floatOnly: false,
    cost: 1,
    params: {
      min: { rule: 'notNaN', doc: 'lower bound (may be -Infinity)' },
      max: { rule: 'notNaN', doc: 'upper bound (may be Infinity)' },
    },
    test: { low: -2, high: 2, params: { min: -0.5, max: 0.75 }, exactOnSpecials: true },
  },
  scale: {
    doc: 'alpha * x',
    forward: (x, p) => p.alpha * x,
    floatOnly: false,
    cost: 1,
    params: { alpha: { rule: 'finite', doc: 'the factor' } },
    test: { low: -3, high: 3, params: { alpha: -1.5 } },
  },
} as const satisfies Record<string, UnaryOpSpec>;

export type UnaryOp = keyof typeof UNARY_SPECS;

/** Every unary op, in table order. */
export const UNARY_OPS = Object.freeze(Object.keys(UNARY_SPECS)) as readonly UnaryOp[];

/** The unary ops with a backward form (`activationBackward`). */
export type ActivationOp = {
  [K in UnaryOp]: (typeof UNARY_SPECS)[K] extends { readonly activation: ActivationFacts } ? K : never;
}[UnaryOp];

/** The unary ops with a backward form, in table order. */
export const ACTIVATION_OPS = Object.freeze(UNARY_OPS.filter((op) => unarySpec(op).activation !== undefined)) as readonly ActivationOp[];

/**
 * The unary ops every backend's `unary` (and, for activations, `activationBackward`) kernel
 * computes unless it says otherwise (`Backend.unaryOps`): the ops of the first contract. An op
 * added since is computed by `ops` from its scalar `forward` for a backend that does not list it,
 * so adding an op never breaks a backend written before it.
 */
export const BASE_UNARY_OPS: readonly UnaryOp[] = Object.freeze([
  'neg', 'abs', 'sign', 'exp', 'log', 'sqrt', 'square', 'reciprocal', 'relu', 'leakyRelu', 'sigmoid', 'tanh', 'clip', 'scale',
] as const);

/** The row of `op`, typed as the general spec. */
export function unarySpec(op: UnaryOp): UnaryOpSpec {
  return UNARY_SPECS[op];
}

/** The activation facts of `op`. */
export function activationSpec(op: ActivationOp): ActivationFacts {
  return (UNARY_SPECS[op] as UnaryOpSpec).activation!;
}

/** Whether `value` names a unary op of the table. */
export function isUnaryOp(value: unknown): value is UnaryOp {
  return typeof value === 'string' && Object.hasOwn(UNARY_SPECS, value);
}

/** Whether `value` names an activation (a unary op with a backward form). */
export function isActivationOp(value: unknown): value is ActivationOp {
  return isUnaryOp(value) && unarySpec(value).activation !== undefined;
}
