/**
 * Array types the range kernels read and write. Kernels receive plain typed arrays (a tensor's
 * `data`), never tensors, so that their arguments survive `postMessage` to a worker intact.
 */
/** Storage of a float tensor (`float32` or `float64`). */
export type FloatArray = Float32Array | Float64Array;

/** Storage of a tensor of any dtype. */
export type NumericArray = Float32Array | Float64Array | Int32Array;

/** Computes output units [start, end) of a kernel; the split never changes a written value. */
export type RangeKernel<A> = (args: A, start: number, end: number) => void;
