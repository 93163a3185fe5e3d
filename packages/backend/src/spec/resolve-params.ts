import { NEUTRAL_PARAMS, type ResolvedUnaryParams, type UnaryParams } from './params.js';
import { unarySpec, type UnaryOp } from './unary.js';

/**
 * The parameters `op` reads, each the caller's value or the op's default (`UNARY_SPECS`), the
 * others neutral. The one place a default is applied: ops, kernels' planners, the reference and
 * the fallbacks all call this.
 */
export function resolveUnaryParams(op: UnaryOp, params: UnaryParams | undefined): ResolvedUnaryParams {
  const specs = unarySpec(op).params;
  if (params === undefined && specs.alpha === undefined && specs.min === undefined && specs.max === undefined) return NEUTRAL_PARAMS;
  return {
    alpha: params?.alpha ?? specs.alpha?.default ?? NEUTRAL_PARAMS.alpha,
    min: params?.min ?? specs.min?.default ?? NEUTRAL_PARAMS.min,
    max: params?.max ?? specs.max?.default ?? NEUTRAL_PARAMS.max,
  };
}
