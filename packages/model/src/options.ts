import { ValueError } from '@scratchnet/tensor';

/**
 * Option checks shared by the model's public entry points. Every message names the function and
 * the offending key or value, so a typo such as `{ epoch: 5 }` is an error instead of being ignored.
 */

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') return `an object (${(value as object).constructor?.name ?? 'no constructor'})`;
  return typeof value;
}

/** `options` is undefined or a plain object whose keys are all in `allowed`; returns it (or `{}`). */
export function checkOptions<T extends object>(where: string, options: T | undefined, allowed: readonly string[]): T {
  if (options === undefined) return {} as T;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ValueError(`${where}: options must be an object, got ${describeValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new ValueError(`${where}: unknown option ${JSON.stringify(key)}; expected one of ${allowed.join(', ')}`);
    }
  }
  return options;
}

/** A finite number in the interval; `lo`/`hi` inclusive unless `loOpen`/`hiOpen`. */
export function checkNumber(
  where: string,
  name: string,
  value: unknown,
  range: { min?: number; max?: number; minOpen?: boolean; maxOpen?: boolean } = {},
): number {
  const { min = -Infinity, max = Infinity, minOpen = false, maxOpen = false } = range;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (minOpen ? value > min : value >= min) &&
    (maxOpen ? value < max : value <= max);
  if (!ok) {
    const lo = min === -Infinity ? '' : `${minOpen ? '>' : '>='} ${min}`;
    const hi = max === Infinity ? '' : `${maxOpen ? '<' : '<='} ${max}`;
    const rule = [lo, hi].filter(Boolean).join(' and ');
    throw new ValueError(`${where}: ${name} must be a finite number${rule ? ` ${rule}` : ''}, got ${describeValue(value)}`);
  }
  return value as number;
}

/** An integer >= `min`. */
export function checkInteger(where: string, name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new ValueError(`${where}: ${name} must be an integer >= ${min}, got ${describeValue(value)}`);
  }
  return value;
}

export function checkBoolean(where: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new ValueError(`${where}: ${name} must be true or false, got ${describeValue(value)}`);
  return value;
}

export function checkOneOf<T extends string>(where: string, name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ValueError(`${where}: ${name} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${describeValue(value)}`);
  }
  return value as T;
}
