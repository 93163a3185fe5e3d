import { rand, randn, zeros, type DType, type Rng, type Shape, type Tensor } from '@scratchnet/tensor';

// Draws in float64 and scales before rounding to the target dtype, as NumPy computes
// `np.random.randn(i, o) * np.sqrt(2.0 / i)` in float64; float64 weights then equal NumPy's bit for bit.
export function scaledNormal(shape: Shape, stddev: number, dtype: DType, rng: Rng | undefined): Tensor {
  const draws = randn(shape, { dtype: 'float64', ...(rng ? { rng } : {}) });
  return scaleInto(draws.data, stddev, 0, shape, dtype);
}

/** Uniform on [-limit, limit) drawn as NumPy's `uniform(-limit, limit)`: low + (high - low) * u. */
export function symmetricUniform(shape: Shape, limit: number, dtype: DType, rng: Rng | undefined): Tensor {
  const draws = rand(shape, { dtype: 'float64', ...(rng ? { rng } : {}) });
  return scaleInto(draws.data, 2 * limit, -limit, shape, dtype);
}

function scaleInto(src: Float64Array, factor: number, shift: number, shape: Shape, dtype: DType): Tensor {
  const out = zeros(shape, { dtype });
  const data = out.data;
  for (let i = 0; i < src.length; i++) data[i] = shift + src[i]! * factor;
  return out;
}
