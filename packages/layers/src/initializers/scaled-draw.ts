import { rand, randn, zeros, type DType, type Rng, type Shape, type Tensor } from '@scratchnet/tensor';

// Draws in float64 and scales before rounding to the target dtype, as NumPy computes
// `np.random.randn(i, o) * np.sqrt(2.0 / i)` in float64; float64 weights then equal NumPy's bit for bit.
// The parameter is allocated before the float64 draws, so a shape too large to allocate is
// reported in the parameter's own dtype (an AllocationError naming shape and bytes).
export function scaledNormal(shape: Shape, stddev: number, dtype: DType, rng: Rng | undefined): Tensor {
  const out = zeros(shape, { dtype });
  const draws = randn(shape, { dtype: 'float64', ...(rng ? { rng } : {}) });
  return scaleInto(draws.data, stddev, 0, out);
}

/** Uniform on [-limit, limit) drawn as NumPy's `uniform(-limit, limit)`: low + (high - low) * u. */
export function symmetricUniform(shape: Shape, limit: number, dtype: DType, rng: Rng | undefined): Tensor {
  const out = zeros(shape, { dtype });
  const draws = rand(shape, { dtype: 'float64', ...(rng ? { rng } : {}) });
  return scaleInto(draws.data, 2 * limit, -limit, out);
}

function scaleInto(src: Float64Array, factor: number, shift: number, out: Tensor): Tensor {
  const data = out.data;
  for (let i = 0; i < src.length; i++) data[i] = shift + src[i]! * factor;
  return out;
}
