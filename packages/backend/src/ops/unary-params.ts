import { ValueError } from '@scratchnet/tensor';
import type { UnaryParamName, UnaryParams } from '../spec/params.js';
import { unarySpec, type UnaryOp } from '../spec/unary.js';
import { describeValue } from './validate.js';

const NAMES: readonly UnaryParamName[] = ['alpha', 'min', 'max'];

/**
 * Checks `params` against what `op`'s spec row says it takes: no parameter the op does not read,
 * every required one present, each value by its rule. Returns only the parameters the op reads.
 */
export function checkUnaryParams(name: string, op: UnaryOp, params: unknown): UnaryParams {
  const specs = unarySpec(op).params;
  if (params !== undefined && (params === null || typeof params !== 'object' || Array.isArray(params))) {
    throw new ValueError(`${name}: params must be an object, got ${describeValue(params)}`);
  }
  const given = (params ?? {}) as Record<string, unknown>;
  const takes = NAMES.filter((n) => specs[n] !== undefined);
  for (const key of Object.keys(given)) {
    if (given[key] !== undefined && !(takes as readonly string[]).includes(key)) {
      throw new ValueError(`${name}: ${op} takes ${takes.length === 0 ? 'no parameters' : takes.join(', ')}, got ${key}`);
    }
  }
  const out: UnaryParams = {};
  for (const key of takes) {
    const spec = specs[key]!;
    const value = given[key];
    if (value === undefined) {
      if (spec.default === undefined) throw new ValueError(`${name}: ${op} needs ${key} (${spec.doc})`);
      continue;
    }
    const ok =
      typeof value === 'number' &&
      (spec.rule === 'notNaN' ? !Number.isNaN(value) : Number.isFinite(value) && (spec.rule !== 'finiteNonNegative' || value >= 0));
    if (!ok) {
      const rule = spec.rule === 'notNaN' ? 'a number' : spec.rule === 'finite' ? 'a finite number' : 'a finite number >= 0';
      throw new ValueError(`${name}: ${key} must be ${rule}, got ${typeof value === 'number' ? value : describeValue(value)}`);
    }
    out[key] = value as number;
  }
  if (out.min !== undefined && out.max !== undefined && out.min > out.max) {
    throw new ValueError(`${name}: min ${out.min} is greater than max ${out.max}`);
  }
  return out;
}
