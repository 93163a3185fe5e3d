import { BackendError } from './errors.js';

/**
 * The end of every switch over an op: `default: return unreachable(op, 'unary')`. The compiler
 * rejects the call while a case is missing (`op` is not `never`); at run time an op from a newer
 * spec, or a corrupted message, throws instead of computing something else.
 */
export function unreachable(value: never, where: string): never {
  throw new BackendError(`${where}: no case for ${JSON.stringify(value)}`);
}
