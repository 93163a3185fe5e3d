import { ScratchnetError } from '@scratchnet/tensor';

/** No backend is set, a backend was disposed, or a backend failed while running a kernel. */
export class BackendError extends ScratchnetError {
  override readonly name: string = 'BackendError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message);
    if (options && 'cause' in options) (this as { cause?: unknown }).cause = options.cause;
  }
}
