import type { DType, Rng, Shape, Tensor } from '@scratchnet/tensor';

export interface InitializerContext {
  fanIn: number;
  fanOut: number;
  dtype: DType;
  /** Source of randomness; the global Rng (seeded by `seed(n)`) when absent. */
  rng?: Rng;
}

/** Makes a parameter tensor of `shape`. Random initializers draw in row-major order. */
export type Initializer = (shape: Shape, context: InitializerContext) => Tensor;

export type InitializerName = 'heNormal' | 'heUniform' | 'glorotNormal' | 'glorotUniform' | 'zeros' | 'ones';
