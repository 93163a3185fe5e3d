// `out[i] = cond[i] != 0 ? a[i] : b[i]` over elements [start, end) (the coming kernel contract's
// `where`): a NaN condition is true, -0 is false. The bits of a and b are moved, not converted.
// A condition of the data's element width selects four (or two) lanes at a time.

@inline function select<C, T>(cond: usize, a: usize, b: usize, out: usize, start: i32, end: i32): void {
  const size = <usize>sizeof<T>();
  const csize = <usize>sizeof<C>();
  let i = start;
  if (sizeof<C>() == sizeof<T>()) {
    const L = 16 / sizeof<T>();
    const zero = i32x4.splat(0);
    for (; i + L <= end; i += L) {
      const o = <usize>i * size;
      const c = v128.load(cond + o);
      // Lanes where cond != 0 (for floats, an unordered comparison: NaN counts as true).
      const mask = v128.ne<C>(c, zero);
      v128.store(out + o, v128.bitselect(v128.load(a + o), v128.load(b + o), mask));
    }
  }
  for (; i < end; i++) {
    const c = load<C>(cond + <usize>i * csize);
    const o = <usize>i * size;
    store<T>(out + o, c != <C>0 ? load<T>(a + o) : load<T>(b + o));
  }
}

/** `condType`: 0 float32, 1 float64, 2 int32; `elementBytes`: 4 or 8 (the data). */
export function where(condType: i32, elementBytes: i32, cond: usize, a: usize, b: usize, out: usize, start: i32, end: i32): void {
  if (elementBytes == 8) {
    if (condType == 0) select<f32, u64>(cond, a, b, out, start, end);
    else if (condType == 1) select<f64, u64>(cond, a, b, out, start, end);
    else select<i32, u64>(cond, a, b, out, start, end);
  } else {
    if (condType == 0) select<f32, u32>(cond, a, b, out, start, end);
    else if (condType == 1) select<f64, u32>(cond, a, b, out, start, end);
    else select<i32, u32>(cond, a, b, out, start, end);
  }
}
