/**
 * Typed errors shared by every scratchnet package. Each message names the operation and the
 * offending values, e.g. `matmul: inner dimensions differ: a is [4,3], b is [8,3]`.
 */
export class ScratchnetError extends Error {
  // Written out in every class, not taken from `new.target.name`: a minifier renames classes,
  // and `error.name` is what a user (or a page showing the error) reads.
  override readonly name: string = 'ScratchnetError';
}

/** A shape is malformed or two shapes do not fit together. */
export class ShapeError extends ScratchnetError {
  override readonly name: string = 'ShapeError';
}

/** A tensor has a dtype the operation does not accept, or two dtypes disagree. */
export class DTypeError extends ScratchnetError {
  override readonly name: string = 'DTypeError';
}

/** An argument has a value outside what the operation accepts (a seed, a count, an option). */
export class ValueError extends ScratchnetError {
  override readonly name: string = 'ValueError';
}

/**
 * A tensor too large to allocate: more bytes than the engine can address, or than it could get.
 * The message names the operation, the shape, the dtype and the bytes.
 */
export class AllocationError extends ScratchnetError {
  override readonly name: string = 'AllocationError';
  readonly shape: readonly number[];
  readonly dtype: string;
  /** Bytes the tensor needs, exactly (a bigint: shapes can ask for more than 2**53). */
  readonly bytes: bigint;

  constructor(message: string, details: { shape: readonly number[]; dtype: string; bytes: bigint }, options?: { cause?: unknown }) {
    super(message);
    this.shape = Object.freeze([...details.shape]);
    this.dtype = details.dtype;
    this.bytes = details.bytes;
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}

/** A tensor (or its storage) was used after `dispose()`. */
export class DisposedError extends ScratchnetError {
  override readonly name: string = 'DisposedError';
}
