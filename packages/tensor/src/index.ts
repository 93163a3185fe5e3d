export { ScratchnetError, ShapeError, DTypeError, ValueError, AllocationError, DisposedError } from './errors.js';
export {
  DTYPES,
  isDType,
  assertDType,
  isFloatDType,
  typedArrayConstructor,
  bytesPerElement,
  dtypeOfArray,
  isInt32Value,
  assertStorable,
  type DType,
  type DataTypeMap,
  type TypedArray,
  type TypedArrayConstructor,
} from './dtype.js';
export {
  formatShape,
  formatShapeTuple,
  assertShape,
  sizeOf,
  stridesOf,
  shapesEqual,
  normalizeAxis,
  type Shape,
} from './shape.js';
export { broadcastShapes, broadcastsTo } from './broadcast.js';
export { allocate, getAllocator, setAllocator, plainAllocator, type Allocator } from './allocator.js';
export { Storage } from './storage.js';
export { registerStorageHome, storageHomeOf, type StorageHome } from './storage-home.js';
export { isCreatedArray } from './created-arrays.js';
export { isDetached } from './detached.js';
export { Tensor, type NestedArray } from './tensor.js';
export { isTensor, tensorProblem } from './tensor-like.js';
export { tensor, zeros, ones, full, zerosLike, arange, type CreationOptions, type TensorOptions, type TypedArrayTensorOptions } from './creation.js';
export { Rng, type RngState, type Seed, type MutableArrayLike } from './random/rng.js';
export { seed, getGlobalRng } from './random/global.js';
export { rand, randn, randint, type FloatDType, type RandomOptions, type RandintOptions } from './random-creation.js';
export { formatTensor } from './format.js';
export { formatPositional, formatScientific, type Dragon4Options, type TrimMode } from './dragon4.js';
