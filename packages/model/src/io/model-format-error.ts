import { ScratchnetError } from '@scratchnet/tensor';

/**
 * A saved model that cannot be loaded as it is: wrong format or version, an unknown layer, weights
 * that disagree with the architecture, a checksum mismatch, a truncated file. The message starts
 * with the file and the field, e.g.
 * `model.json: weights[2].shape: expected [128,10] for dense_2/kernel, got [10,128]`.
 */
export class ModelFormatError extends ScratchnetError {
  override readonly name: string = 'ModelFormatError';
  /** The file at fault (`model.json`, the weights file, or a full path when the handler knows it). */
  readonly file: string;
  /** The field at fault (`weights[2].shape`), or undefined for the file as a whole. */
  readonly field: string | undefined;

  constructor(file: string, field: string | undefined, problem: string, options?: { cause?: unknown }) {
    super(`${file}: ${field === undefined ? '' : `${field}: `}${problem}`);
    this.file = file;
    this.field = field;
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}
