import type { DType, Rng, Shape, Tensor } from '@scratchnet/tensor';

/** What an {@link Initializer} is told about the parameter it makes, besides its shape. */
export interface InitializerContext {
  /** Inputs feeding each output unit (`inputSize` for Dense, `kh * kw * channels` for Conv2D). */
  fanIn: number;
  /** Output units each input feeds (`units` for Dense, `kh * kw * filters` for Conv2D). */
  fanOut: number;
  /** Dtype of the tensor to return. */
  dtype: DType;
  /** Source of randomness; the global Rng (seeded by `seed(n)`) when absent. */
  rng?: Rng;
}

/** Makes a parameter tensor of `shape`. Random initializers draw in row-major order. */
export type Initializer = (shape: Shape, context: InitializerContext) => Tensor;

/** The built-in initializers' names, as a layer's `kernelInitializer` / `biasInitializer` take them. */
export type InitializerName = 'heNormal' | 'heUniform' | 'glorotNormal' | 'glorotUniform' | 'zeros' | 'ones';
