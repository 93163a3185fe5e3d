import { Tensor, formatShape, plainAllocator, sizeOf, type Allocator, type DType, type Shape } from '@scratchnet/tensor';
import type { Backend, Kernels } from '../backend.js';
import { kernelsOf } from '../kernels.js';
import { assertBackend } from '../registry.js';
import { ConformanceError, assertExact } from './check.js';
import { ReferenceBackend } from './reference-backend.js';
import { SuiteRandom, seedFromName } from './random.js';

/** The two test-registration functions of a runner (vitest, jest, mocha, node:test all fit). */
export interface TestApi {
  describe(name: string, fn: () => void): unknown;
  it(name: string, fn: () => void | Promise<void>): unknown;
}

/** What `describeConformance` checks beyond its own edge-case shapes and sizes. */
export interface ConformanceOptions {
  /**
   * More element counts for the elementwise, reduction, softmax and optimizer checks, e.g. to
   * land on both sides of a threaded backend's inline threshold or thread split.
   */
  extraSizes?: readonly number[];
  /** More `[m, k, n]` matmul shapes (each is run with every transpose combination). */
  extraMatmulShapes?: ReadonlyArray<readonly [number, number, number]>;
}

/** Sizes around 0, 1, odd numbers and typical tile widths (4, 8, 16, 32, 64, 128). */
export const EDGE_SIZES: readonly number[] = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 63, 64, 65, 127, 129];

export interface RandomOptions {
  low?: number;
  high?: number;
  /** Draw integers in [low, high] (always for int32). */
  integers?: boolean;
  /** Put an exact 0 at every n-th element (kinks of relu, sign, abs). */
  zeroEvery?: number;
}

/**
 * What one conformance test works with: a fresh backend, the reference oracle, a generator
 * seeded from the test's name, and tensor factories. Tensors the backend sees come from its own
 * allocator (a threaded backend may need shared memory); the oracle's come from plain memory.
 */
export class Harness {
  readonly ref = new ReferenceBackend();
  /**
   * The backend's kernels as `ops` calls them: its own, and those it lacks composed from its
   * core. The suite checks these, so a core-only backend is checked through the compositions.
   */
  readonly kernels: Kernels;
  readonly rng: SuiteRandom;
  readonly #allocator: Allocator;

  constructor(
    readonly backend: Backend,
    testName: string,
  ) {
    this.kernels = kernelsOf(backend);
    this.rng = new SuiteRandom(seedFromName(testName));
    this.#allocator = backend.allocator ?? plainAllocator;
  }

  /** A zero tensor in the backend's memory. */
  zeros(shape: Shape, dtype: DType): Tensor {
    return new Tensor(this.#allocator.allocate(dtype, sizeOf(shape)), shape);
  }

  /** A tensor in the backend's memory holding `values`. */
  from(values: ArrayLike<number>, shape: Shape, dtype: DType): Tensor {
    const t = this.zeros(shape, dtype);
    for (let i = 0; i < t.size; i++) t.data[i] = values[i]!;
    return t;
  }

  /** Random values in [low, high) (integers in [low, high] for int32), in the backend's memory. */
  random(shape: Shape, dtype: DType, options: RandomOptions = {}): Tensor {
    const low = options.low ?? -1;
    const high = options.high ?? 1;
    const t = this.zeros(shape, dtype);
    for (let i = 0; i < t.size; i++) {
      if (options.zeroEvery && i % options.zeroEvery === options.zeroEvery - 1) continue;
      t.data[i] = options.integers || dtype === 'int32' ? this.rng.int(low, high) : this.rng.uniform(low, high);
    }
    return t;
  }

  /** Garbage for a destination, so a kernel that forgets to write an element is caught. */
  garbage(shape: Shape, dtype: DType): Tensor {
    return this.random(shape, dtype, { low: -1000, high: 1000 });
  }

  /**
   * The oracle's copy of a backend-side tensor: float64 for float inputs (exact for float32),
   * so the reference computes in full precision from the very values the backend saw.
   */
  up(t: Tensor): Tensor {
    const dtype: DType = t.dtype === 'int32' ? 'int32' : 'float64';
    const c = new Tensor(plainAllocator.allocate(dtype, t.size), t.shape);
    for (let i = 0; i < t.size; i++) c.data[i] = t.data[i]!;
    return c;
  }

  /** A plain-memory destination for the oracle, float64 unless `dtype` is int32. */
  refZeros(shape: Shape, dtype: DType): Tensor {
    return new Tensor(plainAllocator.allocate(dtype === 'int32' ? 'int32' : 'float64', sizeOf(shape)), shape);
  }

  /** Runs `kernel` and checks it left `inputs` untouched. */
  run(what: string, inputs: readonly Tensor[], kernel: () => void): void {
    const before = inputs.map((t) => this.up(t));
    kernel();
    inputs.forEach((t, i) => assertExact(`${what}: input ${i} ${formatShape(t.shape)} was modified`, t, before[i]!));
  }
}

/** Registers tests; each test gets a fresh backend, disposed afterwards. */
export class SuiteContext {
  constructor(
    readonly api: TestApi,
    readonly makeBackend: () => Backend,
    readonly options: ConformanceOptions,
  ) {}

  get sizes(): number[] {
    return [...EDGE_SIZES, ...(this.options.extraSizes ?? [])];
  }

  test(name: string, fn: (h: Harness) => void): void {
    this.api.it(name, () => {
      const backend = this.makeBackend();
      try {
        assertBackend('makeBackend()', backend);
      } catch (error) {
        throw new ConformanceError(error instanceof Error ? error.message : String(error));
      }
      try {
        fn(new Harness(backend, name));
      } finally {
        backend.dispose?.();
      }
    });
  }
}

/** A short description of tensors for messages: `float32 a [3,4], b [4,5]`. */
export function describeArgs(dtype: DType, named: Record<string, Tensor | Shape>): string {
  const parts = Object.entries(named).map(([k, v]) => `${k} ${formatShape('shape' in v ? (v as Tensor).shape : (v as Shape))}`);
  return `${dtype} ${parts.join(', ')}`;
}
