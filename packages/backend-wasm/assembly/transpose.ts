// `out` = `x` with axes permuted, over elements [start, end) of `out`, any element type (the bits
// are moved, not converted): the cpu backend's walk, a row of out's last axis at a time, reading
// `x` through the strides. `rank` int32s at `shape` (out's shape) and at `strides` (for each axis
// of out, the stride in elements of x's axis it comes from).

@inline function walk<T>(x: usize, out: usize, rank: i32, shape: usize, strides: usize, start: i32, end: i32): void {
  const size = <usize>sizeof<T>();
  if (rank == 0) {
    if (start < end) store<T>(out, load<T>(x));
    return;
  }
  const last = rank - 1;
  const inner = load<i32>(shape + (<usize>last << 2));
  const step = <usize>load<i32>(strides + (<usize>last << 2)) * size;
  let i = start;
  while (i < end) {
    let rem = i / inner;
    const c = i - rem * inner;
    let src = <usize>c * step;
    for (let axis = last - 1; axis >= 0; axis--) {
      const dim = load<i32>(shape + (<usize>axis << 2));
      const q = rem / dim;
      src += <usize>(rem - q * dim) * <usize>load<i32>(strides + (<usize>axis << 2)) * size;
      rem = q;
    }
    const count = min(inner - c, end - i);
    let from = x + src;
    let to = out + <usize>i * size;
    for (let t = 0; t < count; t++) {
      store<T>(to, load<T>(from));
      from += step;
      to += size;
    }
    i += count;
  }
}

export function transpose(elementBytes: i32, x: usize, out: usize, rank: i32, shape: usize, strides: usize, start: i32, end: i32): void {
  if (elementBytes == 8) walk<u64>(x, out, rank, shape, strides, start, end);
  else walk<u32>(x, out, rank, shape, strides, start, end);
}
