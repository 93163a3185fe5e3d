/**
 * Per-thread scratch memory for kernels that need a float64 working row (softmax exponentials,
 * reduction accumulators, matmul packing). Module state is per isolate, so every worker thread
 * has its own; a kernel must finish with a scratch buffer before it calls another kernel.
 */
const buffers: Float64Array[] = [];

/** Scratch buffer number `slot` with at least `length` elements; contents are unspecified. */
export function scratch(slot: number, length: number): Float64Array {
  let buf = buffers[slot];
  if (buf === undefined || buf.length < length) {
    // Grow geometrically so a sequence of slightly larger requests does not reallocate each time.
    buf = new Float64Array(Math.max(length, Math.ceil((buf?.length ?? 0) * 1.5), 64));
    buffers[slot] = buf;
  }
  return buf;
}

/** Slot numbers, one per independent use inside one kernel call. */
export const SCRATCH_PACKED_A = 0;
export const SCRATCH_PACKED_B = 1;
export const SCRATCH_ROW = 2;
export const SCRATCH_CHANNELS = 3;
export const SCRATCH_CHANNELS_2 = 4;
export const SCRATCH_ROW_TABLE = 5;
export const SCRATCH_COLUMN_TABLE = 6;
