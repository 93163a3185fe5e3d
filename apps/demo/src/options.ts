import { InvalidArgumentError } from 'commander';

// Parsers for the command-line options. Each throws commander's InvalidArgumentError, which
// commander prints as `error: option '--epochs <n>' argument '0' is invalid. <message>`.

const INTEGER = /^\s*\d+\s*$/;

export function parseSeed(value: string): number {
  const n = Number(value);
  if (!INTEGER.test(value) || !Number.isSafeInteger(n) || n > 2 ** 32 - 1) {
    throw new InvalidArgumentError('the seed must be an integer from 0 to 4294967295.');
  }
  return n;
}

/** A parser for an integer in `[min, max]`; `what` names it in the error. */
export function integerIn(what: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!INTEGER.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${what} must be an integer from ${min} to ${max}.`);
    }
    return n;
  };
}

export function parseLearningRate(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 10) {
    throw new InvalidArgumentError('the learning rate must be a number above 0 and at most 10, e.g. 0.001 or 1e-3.');
  }
  return n;
}

export const MAX_HIDDEN_UNITS = 4096;
export const MAX_HIDDEN_LAYERS = 8;

/** `128,128` → [128, 128]: the width of each hidden layer, input side first. */
export function parseHidden(value: string): number[] {
  const parts = value.split(',').map((p) => p.trim());
  const sizes = parts.map(Number);
  const valid =
    parts.length >= 1 &&
    parts.length <= MAX_HIDDEN_LAYERS &&
    parts.every((p) => INTEGER.test(p)) &&
    sizes.every((n) => n >= 1 && n <= MAX_HIDDEN_UNITS);
  if (!valid) {
    throw new InvalidArgumentError(
      `give 1 to ${MAX_HIDDEN_LAYERS} hidden layer widths separated by commas, each an integer from 1 to ${MAX_HIDDEN_UNITS}, e.g. 128,128.`,
    );
  }
  return sizes;
}
