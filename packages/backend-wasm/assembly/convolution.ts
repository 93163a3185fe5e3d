// The data movement of a convolution computed by im2col and matmul (channels-last, NHWC):
//
// - im2col copies each window of the input into a row of `cols` (the filter's (fy, fx, c) order,
//   zero where a tap falls in the padding); the matmul module then multiplies the rows by the
//   filter. Units are windows (output pixels): a copy, so any split writes the same bytes.
// - col2im gathers the input gradient: input pixel p is the float64 sum, over the taps that read
//   it in increasing (fy, fx), of that tap's segment of `dcols` (each window's row of gradients),
//   rounded once into `dx`. Units are input pixels, each summed in one fixed order by one unit and
//   never scattered into, so any split gives the same bits.
//
// The geometry travels as a block of i32s in the memory (GEOMETRY_* below): a kernel of the
// module takes numbers, and fifteen of them per call would not fit in a thread's job otherwise.

const G_IN_HEIGHT: i32 = 0;
const G_IN_WIDTH: i32 = 1;
const G_IN_CHANNELS: i32 = 2;
const G_OUT_HEIGHT: i32 = 3;
const G_OUT_WIDTH: i32 = 4;
const G_FILTER_HEIGHT: i32 = 5;
const G_FILTER_WIDTH: i32 = 6;
const G_STRIDE_HEIGHT: i32 = 7;
const G_STRIDE_WIDTH: i32 = 8;
const G_DILATION_HEIGHT: i32 = 9;
const G_DILATION_WIDTH: i32 = 10;
const G_PAD_TOP: i32 = 11;
const G_PAD_LEFT: i32 = 12;

@inline function g(geometry: usize, field: i32): i32 {
  return load<i32>(geometry + (<usize>field << 2));
}

/**
 * Windows [firstWindow + start, firstWindow + end) of `x` as rows `start..end` of `cols`. With
 * dilation 1 along the width, a filter row's taps inside the input are one contiguous run of
 * `x`: one copy between the zeros of the padding.
 */
@inline function im2col<T>(x: usize, cols: usize, geometry: usize, firstWindow: i32, start: i32, end: i32): void {
  const size = <usize>sizeof<T>();
  const H = g(geometry, G_IN_HEIGHT);
  const W = g(geometry, G_IN_WIDTH);
  const C = g(geometry, G_IN_CHANNELS);
  const OH = g(geometry, G_OUT_HEIGHT);
  const OW = g(geometry, G_OUT_WIDTH);
  const FH = g(geometry, G_FILTER_HEIGHT);
  const FW = g(geometry, G_FILTER_WIDTH);
  const SH = g(geometry, G_STRIDE_HEIGHT);
  const SW = g(geometry, G_STRIDE_WIDTH);
  const DH = g(geometry, G_DILATION_HEIGHT);
  const DW = g(geometry, G_DILATION_WIDTH);
  const padTop = g(geometry, G_PAD_TOP);
  const padLeft = g(geometry, G_PAD_LEFT);
  const pixelBytes = <usize>C * size;
  const filterRowBytes = <usize>FW * pixelBytes;
  const rowBytes = <usize>FH * filterRowBytes;
  for (let u = start; u < end; u++) {
    const p = firstWindow + u;
    const n = p / (OH * OW);
    const rest = p - n * OH * OW;
    const oh = rest / OW;
    const ow = rest - oh * OW;
    const iw0 = ow * SW - padLeft;
    // Taps fx in [fxLo, fxHi) read columns inside the input.
    let fxLo = 0;
    let fxHi = FW;
    if (iw0 < 0) fxLo = (-iw0 + DW - 1) / DW;
    const over = iw0 + (FW - 1) * DW - (W - 1);
    if (over > 0) fxHi = FW - (over + DW - 1) / DW;
    if (fxHi < fxLo) fxHi = fxLo;
    let dst = cols + <usize>u * rowBytes;
    for (let fy = 0; fy < FH; fy++, dst += filterRowBytes) {
      const ih = oh * SH - padTop + fy * DH;
      if (ih < 0 || ih >= H || fxLo >= fxHi) {
        memory.fill(dst, 0, filterRowBytes);
        continue;
      }
      const rowStart = x + (<usize>(n * H + ih) * <usize>W) * pixelBytes;
      if (fxLo > 0) memory.fill(dst, 0, <usize>fxLo * pixelBytes);
      if (DW == 1) {
        memory.copy(dst + <usize>fxLo * pixelBytes, rowStart + <usize>(iw0 + fxLo) * pixelBytes, <usize>(fxHi - fxLo) * pixelBytes);
      } else {
        for (let fx = fxLo; fx < fxHi; fx++) {
          memory.copy(dst + <usize>fx * pixelBytes, rowStart + <usize>(iw0 + fx * DW) * pixelBytes, pixelBytes);
        }
      }
      if (fxHi < FW) memory.fill(dst + <usize>fxHi * pixelBytes, 0, <usize>(FW - fxHi) * pixelBytes);
    }
  }
}

export function im2col_f32(x: usize, cols: usize, geometry: usize, firstWindow: i32, start: i32, end: i32): void {
  im2col<f32>(x, cols, geometry, firstWindow, start, end);
}

export function im2col_f64(x: usize, cols: usize, geometry: usize, firstWindow: i32, start: i32, end: i32): void {
  im2col<f64>(x, cols, geometry, firstWindow, start, end);
}

/**
 * Input pixels [firstPixel + start, firstPixel + end) of `dx` from `dcols` (rows from window
 * `firstWindow`). The byte offsets of the taps that read a pixel are listed in `scratch` first
 * (at most filterHeight × filterWidth of them), then each group of channels is summed over the
 * list in float64 lanes.
 */
@inline function col2im<T>(dcols: usize, dx: usize, geometry: usize, firstWindow: i32, firstPixel: i32, scratch: usize, start: i32, end: i32): void {
  const size = <usize>sizeof<T>();
  const H = g(geometry, G_IN_HEIGHT);
  const W = g(geometry, G_IN_WIDTH);
  const C = g(geometry, G_IN_CHANNELS);
  const OH = g(geometry, G_OUT_HEIGHT);
  const OW = g(geometry, G_OUT_WIDTH);
  const FH = g(geometry, G_FILTER_HEIGHT);
  const FW = g(geometry, G_FILTER_WIDTH);
  const SH = g(geometry, G_STRIDE_HEIGHT);
  const SW = g(geometry, G_STRIDE_WIDTH);
  const DH = g(geometry, G_DILATION_HEIGHT);
  const DW = g(geometry, G_DILATION_WIDTH);
  const padTop = g(geometry, G_PAD_TOP);
  const padLeft = g(geometry, G_PAD_LEFT);
  const pixelBytes = <usize>C * size;
  const rowBytes = <usize>FH * <usize>FW * pixelBytes;
  for (let u = start; u < end; u++) {
    const pixel = firstPixel + u;
    const n = pixel / (H * W);
    const rest = pixel - n * H * W;
    const ih = rest / W;
    const iw = rest - ih * W;
    // The taps that read this pixel, in increasing (fy, fx): tap (fy, fx) of window (oh, ow) reads
    // row oh * SH - padTop + fy * DH, so oh = (ih + padTop - fy * DH) / SH when that divides.
    let taps = 0;
    for (let fy = 0; fy < FH; fy++) {
      const th = ih + padTop - fy * DH;
      if (th < 0) break;
      const oh = th / SH;
      if (oh * SH != th || oh >= OH) continue;
      for (let fx = 0; fx < FW; fx++) {
        const tw = iw + padLeft - fx * DW;
        if (tw < 0) break;
        const ow = tw / SW;
        if (ow * SW != tw || ow >= OW) continue;
        const window = (n * OH + oh) * OW + ow - firstWindow;
        store<u32>(scratch + (<usize>taps << 2), <u32>(<usize>window * rowBytes + <usize>(fy * FW + fx) * pixelBytes));
        taps++;
      }
    }
    const out = dx + <usize>pixel * pixelBytes;
    let c = 0;
    if (sizeof<T>() == 4) {
      for (; c + 4 <= C; c += 4) {
        let lo = f64x2.splat(0);
        let hi = f64x2.splat(0);
        const at = <usize>c << 2;
        for (let t = 0; t < taps; t++) {
          const v = v128.load(dcols + <usize>load<u32>(scratch + (<usize>t << 2)) + at);
          lo = f64x2.add(lo, f64x2.promote_low_f32x4(v));
          hi = f64x2.add(hi, f64x2.promote_low_f32x4(v128.shuffle<i32>(v, v, 2, 3, 2, 3)));
        }
        v128.store(out + at, v128.shuffle<i64>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 2));
      }
    } else {
      for (; c + 2 <= C; c += 2) {
        let acc = f64x2.splat(0);
        const at = <usize>c << 3;
        for (let t = 0; t < taps; t++) acc = f64x2.add(acc, v128.load(dcols + <usize>load<u32>(scratch + (<usize>t << 2)) + at));
        v128.store(out + at, acc);
      }
    }
    for (; c < C; c++) {
      let s: f64 = 0;
      const at = <usize>c * size;
      for (let t = 0; t < taps; t++) s += <f64>load<T>(dcols + <usize>load<u32>(scratch + (<usize>t << 2)) + at);
      store<T>(out + at, <T>s);
    }
  }
}

export function col2im_f32(dcols: usize, dx: usize, geometry: usize, firstWindow: i32, firstPixel: i32, scratch: usize, start: i32, end: i32): void {
  col2im<f32>(dcols, dx, geometry, firstWindow, firstPixel, scratch, start, end);
}

export function col2im_f64(dcols: usize, dx: usize, geometry: usize, firstWindow: i32, firstPixel: i32, scratch: usize, start: i32, end: i32): void {
  col2im<f64>(dcols, dx, geometry, firstWindow, firstPixel, scratch, start, end);
}
