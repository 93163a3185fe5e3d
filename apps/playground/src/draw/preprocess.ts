import { MNIST_PIXELS } from '../data/mnist-digits.ts';

/** Side of the box MNIST scales each digit into (keeping its aspect), inside the 28×28 field. */
const BOX = 20;
const SIDE = 28;
/** Ink below this counts as paper when finding the digit's bounding box. */
const INK = 0.05;

/**
 * Turns a drawing into an MNIST input the way MNIST's digits were made: crop to the ink's
 * bounding box, scale it (area-averaged, so strokes anti-alias) until its longer side is 20
 * pixels, keeping the aspect ratio, then place it in a 28×28 field so its centre of mass sits at
 * the centre. `intensity` is `width × height` ink levels in [0, 1], row-major. Returns the 784
 * pixels in [0, 1] (the brightest at 1), or null when there is no ink: a blank pad is not a digit.
 */
export function preprocessDigit(intensity: ArrayLike<number>, width: number, height: number): Float32Array | null {
  if (intensity.length !== width * height) throw new RangeError(`preprocessDigit: ${intensity.length} values for ${width}×${height}`);
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (intensity[y * width + x]! > INK) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  if (x1 < 0) return null;
  const cw = x1 - x0 + 1;
  const ch = y1 - y0 + 1;
  const scale = BOX / Math.max(cw, ch);
  const tw = Math.max(1, Math.round(cw * scale));
  const th = Math.max(1, Math.round(ch * scale));
  const box = resampleArea(intensity, width, x0, y0, cw, ch, tw, th);

  let max = 0;
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      const v = box[y * tw + x]!;
      max = Math.max(max, v);
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  // Shift so the centre of mass lands on the field's centre, keeping the whole box inside.
  const ox = clamp(Math.round(SIDE / 2 - mx / mass), 0, SIDE - tw);
  const oy = clamp(Math.round(SIDE / 2 - my / mass), 0, SIDE - th);
  const out = new Float32Array(MNIST_PIXELS);
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) out[(oy + y) * SIDE + ox + x] = Math.min(1, box[y * tw + x]! / max);
  }
  return out;
}

/**
 * Area-averaging resample of the `cw × ch` crop at (x0, y0) to `tw × th`: each output pixel is
 * the mean of the source area it covers, partial source pixels weighted by their overlap.
 */
function resampleArea(src: ArrayLike<number>, width: number, x0: number, y0: number, cw: number, ch: number, tw: number, th: number): Float64Array {
  const out = new Float64Array(tw * th);
  const sx = cw / tw;
  const sy = ch / th;
  for (let ty = 0; ty < th; ty++) {
    const top = ty * sy;
    const bottom = top + sy;
    for (let tx = 0; tx < tw; tx++) {
      const left = tx * sx;
      const right = left + sx;
      let sum = 0;
      for (let y = Math.floor(top); y < Math.ceil(bottom); y++) {
        const wy = Math.min(bottom, y + 1) - Math.max(top, y);
        for (let x = Math.floor(left); x < Math.ceil(right); x++) {
          const wx = Math.min(right, x + 1) - Math.max(left, x);
          sum += wx * wy * src[(y0 + y) * width + x0 + x]!;
        }
      }
      out[ty * tw + tx] = sum / (sx * sy);
    }
  }
  return out;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
