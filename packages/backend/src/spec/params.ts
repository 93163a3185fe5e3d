/**
 * Scalar parameters of the unary ops: `alpha` (the slope of `leakyRelu`, the saturation of `elu`,
 * the factor of `scale`), `min` and `max` (the bounds of `clip`). Which op takes which, and its
 * default, is written in the op's spec row (`UNARY_SPECS`); nothing else states a default.
 */
export interface UnaryParams {
  alpha?: number;
  min?: number;
  max?: number;
}

/** The name of a unary op parameter: `alpha`, `min` or `max`. */
export type UnaryParamName = keyof UnaryParams;

/** Every parameter resolved to a number: the caller's value, the op's default, or a neutral value. */
export interface ResolvedUnaryParams {
  readonly alpha: number;
  readonly min: number;
  readonly max: number;
}

/** What values a parameter accepts (checked by `ops`). */
export type ParamRule = 'finite' | 'finiteNonNegative' | 'notNaN';

/** A parameter of a unary op: its default (or none: required), what values it accepts, what it means. */
export interface ParamSpec {
  /** Used when the caller gives none; absent: the parameter is required. */
  readonly default?: number;
  readonly rule: ParamRule;
  readonly doc: string;
}

/** Values parameters take for ops that do not read them (so kernels never see undefined). */
export const NEUTRAL_PARAMS: ResolvedUnaryParams = Object.freeze({ alpha: 1, min: -Infinity, max: Infinity });
