import { ScratchnetError } from '@scratchnet/tensor';

/**
 * Saving or loading failed for a reason outside the files' contents: a directory that does not
 * exist, a path that is not writable, a disk that filled up. `cause` holds the underlying error.
 */
export class ModelIOError extends ScratchnetError {
  override readonly name: string = 'ModelIOError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message);
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}
