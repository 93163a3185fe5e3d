/**
 * Typed errors shared by every scratchnet package. Each message names the operation and the
 * offending values, e.g. `matmul: inner dimensions differ: a is [4,3], b is [8,3]`.
 */
export class ScratchnetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A shape is malformed or two shapes do not fit together. */
export class ShapeError extends ScratchnetError {}

/** A tensor has a dtype the operation does not accept, or two dtypes disagree. */
export class DTypeError extends ScratchnetError {}

/** An argument has a value outside what the operation accepts (a seed, a count, an option). */
export class ValueError extends ScratchnetError {}

/** A tensor (or its storage) was used after `dispose()`. */
export class DisposedError extends ScratchnetError {}
