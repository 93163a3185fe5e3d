import { BackendError } from '@scratchnet/backend';

/** The host lacks a WebAssembly feature the backend needs (SIMD; shared memory for threads). */
export class WasmFeatureError extends BackendError {
  override readonly name: string = 'WasmFeatureError';
  constructor(
    message: string,
    /** The missing feature, e.g. `simd128` or `shared memory`. */
    readonly feature: string,
  ) {
    super(message);
  }
}

/** The backend's WebAssembly memory cannot hold an allocation. */
export class WasmMemoryError extends BackendError {
  override readonly name: string = 'WasmMemoryError';
  constructor(
    message: string,
    /** Bytes the allocation asked for. */
    readonly requested: number,
    /** Bytes that could still be allocated in one block (free space, growth included). */
    readonly available: number,
  ) {
    super(message);
  }
}
