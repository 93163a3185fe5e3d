import { allocate } from './allocator.js';
import { bytesPerElement, type DataTypeMap, type DType } from './dtype.js';
import { AllocationError } from './errors.js';
import { markCreated } from './created-arrays.js';
import { formatShape, type Shape } from './shape.js';

/**
 * Storage for a new tensor of `shape`, from the current allocator: the one door every creation
 * function (`tensor`, `zeros`, `full`, `arange`, `rand`, …) goes through, and so every op that
 * creates its result. A shape whose bytes are not even a safe integer is refused before anything
 * is tried; an allocation the engine refuses (a length beyond its typed-array limit, memory it
 * cannot get) becomes an AllocationError naming `op`, the shape and the bytes instead of a bare
 * RangeError. `shape` must already be checked (non-negative integers).
 */
export function allocateChecked<D extends DType>(op: string, dtype: D, shape: Shape): DataTypeMap[D] {
  let size = 1;
  for (const d of shape) size *= d;
  const bytes = size * bytesPerElement(dtype);
  if (!Number.isSafeInteger(bytes)) throw tooLarge(op, dtype, shape, 'more than any JavaScript engine can address');
  let data: DataTypeMap[D];
  try {
    data = allocate(dtype, size);
  } catch (error) {
    // Engines report both "length beyond the typed-array limit" and "out of memory" this way.
    if (error instanceof RangeError) throw tooLarge(op, dtype, shape, `the allocation failed (${error.message})`, error);
    throw error;
  }
  markCreated(data);
  return data;
}

function tooLarge(op: string, dtype: DType, shape: Shape, why: string, cause?: unknown): AllocationError {
  let elements = 1n;
  for (const d of shape) elements *= BigInt(d);
  const bytes = elements * BigInt(bytesPerElement(dtype));
  return new AllocationError(
    `${op}: a ${dtype} tensor of shape ${formatShape(shape)} needs ${bytes} bytes (${approximate(bytes)}); ${why}`,
    { shape, dtype, bytes },
    cause === undefined ? undefined : { cause },
  );
}

const UNITS = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/** `4.0 TiB`: the size a reader can take in at a glance (exabytes and beyond stay in EiB). */
function approximate(bytes: bigint): string {
  let value = Number(bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} bytes` : `${value.toPrecision(3)} ${UNITS[unit]}`;
}
