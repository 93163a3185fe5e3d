// `out` row i = `x` row `indices[i]` over output rows [start, end): one memory.copy per row.

export function gather(x: usize, indices: usize, out: usize, rowBytes: usize, start: i32, end: i32): void {
  for (let i = start; i < end; i++) {
    const row = <usize>load<i32>(indices + (<usize>i << 2));
    memory.copy(out + <usize>i * rowBytes, x + row * rowBytes, rowBytes);
  }
}
