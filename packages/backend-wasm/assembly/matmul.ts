// Matrix product over packed panels: `out = op(a) @ op(b)` (+ `out`), float32 and float64.
//
// Why this shape (measured on the development machine, see the package README):
// - One register tile is MR = 5 rows by 32 bytes of columns (8 float32 or 4 float64): ten v128
//   accumulators. V8 leaves 15 usable XMM registers and, without FMA in baseline SIMD, every
//   multiply needs a temporary; 6 rows spill and halve the speed.
// - A is packed compactly: for each k step the tile's 5 values side by side, which the
//   micro-kernel splats as it loads (`load32_splat`/`load64_splat`: `vbroadcastss`/`vmovddup` from
//   memory). V8 does not fold a splat's constant offset into the address; it keeps `memory base +
//   offset` in one register per offset, hoisted out of the loop, so the five loads cost no more
//   than plain `v128.load`s (seen in `node --print-wasm-code --no-liftoff`). Packing runs vectorized:
//   four k steps of the five rows are loaded as vectors and transposed in registers (two for f64);
//   a transposed A's five values of a step are already neighbours and are copied.
//   Measured against the earlier layout, every element pre-broadcast to a full v128 and packed one
//   element at a time (fastest of 150 single calls, interleaved, raw exports): packing cost 8 % at
//   128x784x128 and 128^3 and 2 % at 512^3; compact and vectorized is 4.5-7 % faster at those
//   shapes and transposed ones, 1.00-1.03x at 512^3, f64 1.00-1.03x. Compact but packed one element
//   at a time gained nothing (1.00-1.02x): the cost was instructions per element, not bytes.
//   Reading A in place (five row pointers, `load_splat`, no packing pass) was slower still:
//   f32 6-11 %, f64 15-41 % — the pointer increments and index moves cost more in the k loop than
//   packing costs outside it.
// - B is packed once per call into column panels of 32 bytes per k step, zero-padded at the edge.
//   A transposed B's full panels are packed 16 bytes of each column at a time, transposed in
//   registers: against one element at a time, 1.07-1.24x at f32 shapes with transposed B
//   (128x784x128 1.24x), f64 1.02-1.08x.
// - The k loop is not unrolled: TurboFan then hoists every load of the body and spills.
// - Blocks of at most KC = 400 steps of k (evenly split) and MC = 120 rows keep a B panel and an
//   A tile in L1 (12.5 + 7.8 KiB f32, 12.5 + 15.6 KiB f64) and a packed A block in L2. Against
//   KC = 256 (four blocks of 196 at k = 784, two of 392 now): 128x784x128 1.02-1.03x, others
//   within 1 %. KC = 800 (784 in one block, so a 40 KiB L1 working set) was 1-1.5 % slower than
//   400 at 128x784x128 and 1-2 % faster at 512^3 and 1024^3.
//
// Every output element is one sum over k in increasing order, in the element type, started from
// 0 (or from `out` when accumulating) and stored between k-blocks without loss. Edge tiles run the
// same micro-kernel on a scratch tile. So an element's value depends neither on the tile, the
// block nor the range of rows it was computed in: any split of the rows gives the same bits.

export const MR: i32 = 5;
export const KC: i32 = 400;
export const MC: i32 = 120;
/** Bytes of one k step of a B panel (and of the register tile's width). */
const PANEL_BYTES: i32 = 32;
/** Scratch each thread needs: 16 zero bytes (padding rows of A read them), the edge tile, then one packed A block (float64 the larger). */
const ZERO_OFFSET: i32 = 0;
const TILE_OFFSET: i32 = 32;
export const TILE_BYTES: i32 = 256;
export const MATMUL_SCRATCH_BYTES: i32 = TILE_BYTES + MC * KC * 8;

/**
 * Steps of k per block: at most KC, and as even as that allows (784 = 2 blocks of 392, 1024 = 3 of
 * 342, not 400 + 400 + 224, whose last block's packing and tile loads would buy fewer steps). packB and
 * segment block k the same way, so the packed layout agrees. The blocking does not change a
 * result: later blocks start from what earlier ones stored, in increasing k.
 */
@inline function kBlock(k: i32): i32 {
  const blocks = (k + KC - 1) / KC;
  return blocks == 0 ? KC : (k + blocks - 1) / blocks;
}

/** Columns per panel for element type T. */
@inline function nr<T>(): i32 {
  return PANEL_BYTES / sizeof<T>();
}

/** Bytes of packed B for one batch: every k-block of every panel. */
@inline function packedBytesPerBatch<T>(k: i32, n: i32): usize {
  const panels = (n + nr<T>() - 1) / nr<T>();
  return <usize>k * <usize>panels * <usize>PANEL_BYTES;
}

export function matmulPackedBytes_f32(k: i32, n: i32): usize {
  return packedBytesPerBatch<f32>(k, n);
}

export function matmulPackedBytes_f64(k: i32, n: i32): usize {
  return packedBytesPerBatch<f64>(k, n);
}

/**
 * Packs panels [q0, q1) of op(b) for one batch (`b` points at that batch) into `dst` (that
 * batch's packed area). Layout: k-block by k-block; within a block of kc steps, panel q holds
 * kc rows of 32 bytes. op(b) is [k, n]; stored [n, k] when `transB`.
 */
function packB<T>(b: usize, dst: usize, k: i32, n: i32, transB: bool, q0: i32, q1: i32): void {
  const NR = nr<T>();
  const size = <usize>sizeof<T>();
  const panels = (n + NR - 1) / NR;
  const kcMax = kBlock(k);
  for (let kb = 0; kb < k; kb += kcMax) {
    const kc = min(kcMax, k - kb);
    const blockBase = dst + <usize>kb * <usize>panels * <usize>PANEL_BYTES;
    for (let q = q0; q < q1; q++) {
      const j0 = q * NR;
      let d = blockBase + <usize>q * <usize>kc * <usize>PANEL_BYTES;
      const full = j0 + NR <= n;
      if (!transB && full) {
        let src = b + (<usize>kb * <usize>n + <usize>j0) * size;
        const stride = <usize>n * size;
        for (let p = 0; p < kc; p++) {
          v128.store(d, v128.load(src));
          v128.store(d, v128.load(src, 16), 16);
          src += stride;
          d += PANEL_BYTES;
        }
      } else {
        let p = 0;
        if (transB && full) {
          p = packTransposedPanel<T>(b + (<usize>j0 * <usize>k + <usize>kb) * size, d, <usize>k * size, kc);
          d += <usize>p * <usize>PANEL_BYTES;
        }
        for (; p < kc; p++) {
          for (let c = 0; c < NR; c++) {
            const j = j0 + c;
            let v: T = <T>0;
            if (j < n) {
              const index = transB ? <usize>j * <usize>k + <usize>(kb + p) : <usize>(kb + p) * <usize>n + <usize>j;
              v = load<T>(b + index * size);
            }
            store<T>(d + <usize>c * size, v);
          }
          d += PANEL_BYTES;
        }
      }
    }
  }
}

/**
 * A full panel of a transposed B: its NR columns are rows of `b` (from `src`, `rowBytes` apart),
 * each contiguous over k. Loads 16 bytes of each (4 f32 or 2 f64 steps), transposes them in
 * registers and stores one 32-byte panel row per step at `d`. Returns the steps packed (a
 * multiple of 4 or 2, at most kc); the caller copies the rest one element at a time.
 */
// prettier-ignore
@inline function packTransposedPanel<T>(src: usize, d: usize, rowBytes: usize, kc: i32): i32 {
  let p = 0;
  if (sizeof<T>() == 4) {
    for (; p + 4 <= kc; p += 4) {
      // Columns 0-3, then 4-7: a 4x4 transpose each, into the panel rows' two halves.
      transpose4x4Store(v128.load(src), v128.load(src + rowBytes), v128.load(src + 2 * rowBytes), v128.load(src + 3 * rowBytes), d);
      const s4 = src + 4 * rowBytes;
      transpose4x4Store(v128.load(s4), v128.load(s4 + rowBytes), v128.load(s4 + 2 * rowBytes), v128.load(s4 + 3 * rowBytes), d + 16);
      src += 16;
      d += 4 * PANEL_BYTES;
    }
  } else {
    for (; p + 2 <= kc; p += 2) {
      const x0 = v128.load(src), x1 = v128.load(src + rowBytes), x2 = v128.load(src + 2 * rowBytes), x3 = v128.load(src + 3 * rowBytes);
      v128.store(d, v128.shuffle<i64>(x0, x1, 0, 2));      v128.store(d, v128.shuffle<i64>(x2, x3, 0, 2), 16);
      v128.store(d, v128.shuffle<i64>(x0, x1, 1, 3), 32);  v128.store(d, v128.shuffle<i64>(x2, x3, 1, 3), 48);
      src += 16;
      d += 2 * PANEL_BYTES;
    }
  }
  return p;
}

/** Stores the transpose of the 4x4 f32 block whose rows are x0..x3: its row i at `d + i * PANEL_BYTES`. */
// prettier-ignore
@inline function transpose4x4Store(x0: v128, x1: v128, x2: v128, x3: v128, d: usize): void {
  const u0 = v128.shuffle<i32>(x0, x1, 0, 4, 1, 5);
  const u1 = v128.shuffle<i32>(x2, x3, 0, 4, 1, 5);
  const u2 = v128.shuffle<i32>(x0, x1, 2, 6, 3, 7);
  const u3 = v128.shuffle<i32>(x2, x3, 2, 6, 3, 7);
  v128.store(d, v128.shuffle<i64>(u0, u1, 0, 2));
  v128.store(d, v128.shuffle<i64>(u0, u1, 1, 3), PANEL_BYTES);
  v128.store(d, v128.shuffle<i64>(u2, u3, 0, 2), 2 * PANEL_BYTES);
  v128.store(d, v128.shuffle<i64>(u2, u3, 1, 3), 3 * PANEL_BYTES);
}

export function packB_f32(b: usize, dst: usize, k: i32, n: i32, transB: bool, q0: i32, q1: i32): void {
  packB<f32>(b, dst, k, n, transB, q0, q1);
}

export function packB_f64(b: usize, dst: usize, k: i32, n: i32, transB: bool, q0: i32, q1: i32): void {
  packB<f64>(b, dst, k, n, transB, q0, q1);
}

/**
 * Packs rows [r0, r0 + rows) of op(a) (rows numbered across batches), steps [kb, kb + kc) of k,
 * as tiles of MR rows: tile t holds for each step p the MR row values side by side. op(a) is
 * [batch*m, k]; with `transA`, `a` is stored [batch, k, m]. Each row is read through its own
 * address and stride, so a tile may straddle batches; a row past `rows` reads the zero bytes at
 * `zero` with stride 0. Full tiles take a vectorized path (see `packRows` and `packColumns`); the
 * steps it leaves, and edge or straddling tiles, are copied one element at a time.
 */
function packA<T>(a: usize, dst: usize, m: i32, k: i32, transA: bool, kb: i32, kc: i32, r0: i32, rows: i32, zero: usize): void {
  const size = <usize>sizeof<T>();
  const tiles = (rows + MR - 1) / MR;
  let d = dst;
  for (let t = 0; t < tiles; t++) {
    const row = t * MR;
    let s0 = rowStart<T>(a, m, k, transA, kb, r0 + row, row < rows, zero);
    let s1 = rowStart<T>(a, m, k, transA, kb, r0 + row + 1, row + 1 < rows, zero);
    let s2 = rowStart<T>(a, m, k, transA, kb, r0 + row + 2, row + 2 < rows, zero);
    let s3 = rowStart<T>(a, m, k, transA, kb, r0 + row + 3, row + 3 < rows, zero);
    let s4 = rowStart<T>(a, m, k, transA, kb, r0 + row + 4, row + 4 < rows, zero);
    const step = transA ? <usize>m * size : size;
    const t0 = row < rows ? step : 0;
    const t1 = row + 1 < rows ? step : 0;
    const t2 = row + 2 < rows ? step : 0;
    const t3 = row + 3 < rows ? step : 0;
    const t4 = row + 4 < rows ? step : 0;
    let p = 0;
    if (row + MR <= rows) {
      if (!transA) {
        p = packRows<T>(s0, s1, s2, s3, s4, d, kc);
        const skipped = <usize>p * size;
        s0 += skipped;
        s1 += skipped;
        s2 += skipped;
        s3 += skipped;
        s4 += skipped;
        d += <usize>p * <usize>MR * size;
      } else if ((r0 + row) / m == (r0 + row + MR - 1) / m) {
        // All five rows in one batch.
        packColumns<T>(s0, d, kc, step);
        p = kc;
        d += <usize>kc * <usize>MR * size;
      }
    }
    for (; p < kc; p++) {
      store<T>(d, load<T>(s0));
      store<T>(d, load<T>(s1), sizeof<T>());
      store<T>(d, load<T>(s2), 2 * sizeof<T>());
      store<T>(d, load<T>(s3), 3 * sizeof<T>());
      store<T>(d, load<T>(s4), 4 * sizeof<T>());
      s0 += t0;
      s1 += t1;
      s2 += t2;
      s3 += t3;
      s4 += t4;
      d += MR * sizeof<T>();
    }
  }
}

/**
 * A full tile of A not transposed: five rows, each contiguous over k from s0..s4. Loads 16 bytes
 * of each row (4 f32 or 2 f64 steps), transposes rows 0-3 in registers and stores each step's
 * five values side by side at `d`. Returns the steps packed (a multiple of 4 or 2, at most kc).
 */
// prettier-ignore
@inline function packRows<T>(s0: usize, s1: usize, s2: usize, s3: usize, s4: usize, d: usize, kc: i32): i32 {
  let p = 0;
  if (sizeof<T>() == 4) {
    for (; p + 4 <= kc; p += 4) {
      const x0 = v128.load(s0), x1 = v128.load(s1), x2 = v128.load(s2), x3 = v128.load(s3), x4 = v128.load(s4);
      const u0 = v128.shuffle<i32>(x0, x1, 0, 4, 1, 5); // rows 0,1 at steps 0,1
      const u1 = v128.shuffle<i32>(x2, x3, 0, 4, 1, 5); // rows 2,3 at steps 0,1
      const u2 = v128.shuffle<i32>(x0, x1, 2, 6, 3, 7); // rows 0,1 at steps 2,3
      const u3 = v128.shuffle<i32>(x2, x3, 2, 6, 3, 7); // rows 2,3 at steps 2,3
      v128.store(d, v128.shuffle<i64>(u0, u1, 0, 2));      v128.store32_lane(d, x4, 0, 16);
      v128.store(d, v128.shuffle<i64>(u0, u1, 1, 3), 20);  v128.store32_lane(d, x4, 1, 36);
      v128.store(d, v128.shuffle<i64>(u2, u3, 0, 2), 40);  v128.store32_lane(d, x4, 2, 56);
      v128.store(d, v128.shuffle<i64>(u2, u3, 1, 3), 60);  v128.store32_lane(d, x4, 3, 76);
      s0 += 16; s1 += 16; s2 += 16; s3 += 16; s4 += 16;
      d += 80;
    }
  } else {
    for (; p + 2 <= kc; p += 2) {
      const x0 = v128.load(s0), x1 = v128.load(s1), x2 = v128.load(s2), x3 = v128.load(s3), x4 = v128.load(s4);
      v128.store(d, v128.shuffle<i64>(x0, x1, 0, 2));      v128.store(d, v128.shuffle<i64>(x2, x3, 0, 2), 16);
      v128.store64_lane(d, x4, 0, 32);
      v128.store(d, v128.shuffle<i64>(x0, x1, 1, 3), 40);  v128.store(d, v128.shuffle<i64>(x2, x3, 1, 3), 56);
      v128.store64_lane(d, x4, 1, 72);
      s0 += 16; s1 += 16; s2 += 16; s3 += 16; s4 += 16;
      d += 80;
    }
  }
  return p;
}

/** A full tile of a transposed A within one batch: each step's five values are neighbours at `s` (stride `step` bytes). */
@inline function packColumns<T>(s: usize, d: usize, kc: i32, step: usize): void {
  for (let p = 0; p < kc; p++) {
    v128.store(d, v128.load(s));
    if (sizeof<T>() == 4) {
      store<f32>(d, load<f32>(s, 16), 16);
    } else {
      v128.store(d, v128.load(s, 16), 16);
      store<f64>(d, load<f64>(s, 32), 32);
    }
    s += step;
    d += MR * sizeof<T>();
  }
}

/** Address of element (r, kb) of op(a), or `zero` for a padding row. */
@inline function rowStart<T>(a: usize, m: i32, k: i32, transA: bool, kb: i32, r: i32, real: bool, zero: usize): usize {
  if (!real) return zero;
  const size = <usize>sizeof<T>();
  if (!transA) return a + (<usize>r * <usize>k + <usize>kb) * size;
  const bi = r / m;
  const i = r - bi * m;
  return a + ((<usize>bi * <usize>k + <usize>kb) * <usize>m + <usize>i) * size;
}

/**
 * The register tile: 5 rows by 32 bytes of `c` (row stride `ldc` bytes) plus the product of a
 * packed A tile and a B panel over `kc` steps, started from `c` when `fromC`, from zero otherwise.
 * Inlined into the two bodies of `tile_f32`/`tile_f64`, so that `fromC` is a constant in each.
 */
// prettier-ignore
@inline function tile<T>(pa: usize, pb: usize, kc: i32, c: usize, ldc: usize, fromC: bool): void {
  let c00: v128, c01: v128, c10: v128, c11: v128, c20: v128, c21: v128, c30: v128, c31: v128, c40: v128, c41: v128;
  if (fromC) {
    c00 = v128.load(c); c01 = v128.load(c, 16);
    c10 = v128.load(c + ldc); c11 = v128.load(c + ldc, 16);
    c20 = v128.load(c + 2 * ldc); c21 = v128.load(c + 2 * ldc, 16);
    c30 = v128.load(c + 3 * ldc); c31 = v128.load(c + 3 * ldc, 16);
    c40 = v128.load(c + 4 * ldc); c41 = v128.load(c + 4 * ldc, 16);
  } else {
    c00 = i32x4.splat(0); c01 = c00; c10 = c00; c11 = c00; c20 = c00; c21 = c00; c30 = c00; c31 = c00; c40 = c00; c41 = c00;
  }
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load_splat<T>(pa);
    c00 = v128.add<T>(c00, v128.mul<T>(a, b0)); c01 = v128.add<T>(c01, v128.mul<T>(a, b1));
    a = v128.load_splat<T>(pa, sizeof<T>());
    c10 = v128.add<T>(c10, v128.mul<T>(a, b0)); c11 = v128.add<T>(c11, v128.mul<T>(a, b1));
    a = v128.load_splat<T>(pa, 2 * sizeof<T>());
    c20 = v128.add<T>(c20, v128.mul<T>(a, b0)); c21 = v128.add<T>(c21, v128.mul<T>(a, b1));
    a = v128.load_splat<T>(pa, 3 * sizeof<T>());
    c30 = v128.add<T>(c30, v128.mul<T>(a, b0)); c31 = v128.add<T>(c31, v128.mul<T>(a, b1));
    a = v128.load_splat<T>(pa, 4 * sizeof<T>());
    c40 = v128.add<T>(c40, v128.mul<T>(a, b0)); c41 = v128.add<T>(c41, v128.mul<T>(a, b1));
    pa += MR * sizeof<T>();
    pb += PANEL_BYTES;
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(c + ldc, c10); v128.store(c + ldc, c11, 16);
  v128.store(c + 2 * ldc, c20); v128.store(c + 2 * ldc, c21, 16);
  v128.store(c + 3 * ldc, c30); v128.store(c + 3 * ldc, c31, 16);
  v128.store(c + 4 * ldc, c40); v128.store(c + 4 * ldc, c41, 16);
}

/**
 * The micro-kernel as a function of its own per element type, with `fromC` a run-time flag that
 * selects one of two inlined bodies. It must stay a separate function: inlined into the blocking
 * loops of `segment`, V8 runs out of registers and spills accumulators inside the k loop (seen
 * in `node --print-wasm-code`: ~20 against ~35 GFLOP/s). Binaryen inlines a function with a
 * single caller, so it has two: the full tiles in `segment` and the edge tiles in `edgeTile`.
 */
function tile_f32(pa: usize, pb: usize, kc: i32, c: usize, ldc: usize, fromC: bool): void {
  if (fromC) tile<f32>(pa, pb, kc, c, ldc, true);
  else tile<f32>(pa, pb, kc, c, ldc, false);
}

function tile_f64(pa: usize, pb: usize, kc: i32, c: usize, ldc: usize, fromC: bool): void {
  if (fromC) tile<f64>(pa, pb, kc, c, ldc, true);
  else tile<f64>(pa, pb, kc, c, ldc, false);
}

@inline function runTile<T>(pa: usize, pb: usize, kc: i32, c: usize, ldc: usize, fromC: bool): void {
  if (sizeof<T>() == 4) tile_f32(pa, pb, kc, c, ldc, fromC);
  else tile_f64(pa, pb, kc, c, ldc, fromC);
}

/**
 * A tile of `rows` < MR or `cols` < NR: through the scratch tile (row stride 32 bytes), loaded
 * from `c` (zeros elsewhere) when `fromC`, so the very same micro-kernel computes every element.
 */
function edgeTile<T>(pa: usize, pb: usize, kc: i32, c: usize, ldc: usize, fromC: bool, rows: i32, cols: i32, scratchTile: usize): void {
  const size = <usize>sizeof<T>();
  for (let i = 0; i < MR; i++) {
    const d = scratchTile + <usize>(i * PANEL_BYTES);
    v128.store(d, i32x4.splat(0));
    v128.store(d, i32x4.splat(0), 16);
    if (fromC && i < rows) {
      for (let j = 0; j < cols; j++) store<T>(d + <usize>j * size, load<T>(c + <usize>i * ldc + <usize>j * size));
    }
  }
  runTile<T>(pa, pb, kc, scratchTile, PANEL_BYTES, true);
  for (let i = 0; i < rows; i++) {
    const s = scratchTile + <usize>(i * PANEL_BYTES);
    for (let j = 0; j < cols; j++) store<T>(c + <usize>i * ldc + <usize>j * size, load<T>(s + <usize>j * size));
  }
}

/** Rows [r0, r1) of one batch-consistent segment, against packed B at `pb`. */
function segment<T>(
  a: usize, pb: usize, out: usize, scratch: usize,
  m: i32, k: i32, n: i32, transA: bool, accumulate: bool, r0: i32, r1: i32,
): void {
  const NR = nr<T>();
  const size = <usize>sizeof<T>();
  const panels = (n + NR - 1) / NR;
  const ldc = <usize>n * size;
  const zero = scratch + <usize>ZERO_OFFSET;
  const scratchTile = scratch + <usize>TILE_OFFSET;
  const pa = scratch + <usize>TILE_BYTES;
  v128.store(zero, i32x4.splat(0));
  if (k == 0) {
    if (!accumulate) memory.fill(out + <usize>r0 * ldc, 0, <usize>(r1 - r0) * ldc);
    return;
  }
  const kcMax = kBlock(k);
  for (let kb = 0; kb < k; kb += kcMax) {
    const kc = min(kcMax, k - kb);
    const fromC = accumulate || kb > 0;
    const blockBase = pb + <usize>kb * <usize>panels * <usize>PANEL_BYTES;
    for (let mb = r0; mb < r1; mb += MC) {
      const mc = min(MC, r1 - mb);
      packA<T>(a, pa, m, k, transA, kb, kc, mb, mc, zero);
      for (let q = 0; q < panels; q++) {
        const pbq = blockBase + <usize>q * <usize>kc * <usize>PANEL_BYTES;
        const cols = min(NR, n - q * NR);
        for (let t = 0; t < mc; t += MR) {
          const rows = min(MR, mc - t);
          const c = out + <usize>(mb + t) * ldc + <usize>(q * NR) * size;
          const pat = pa + <usize>t * <usize>kc * size;
          if (rows == MR && cols == NR) runTile<T>(pat, pbq, kc, c, ldc, fromC);
          else edgeTile<T>(pat, pbq, kc, c, ldc, fromC, rows, cols, scratchTile);
        }
      }
    }
  }
}

/**
 * Rows [r0, r1) of `out` ([batch*m, n]), with B already packed at `pb`. `bBatchBytes` is the
 * size of one batch's packed B when every batch has its own B, 0 when B is shared; rows are then
 * taken batch by batch. `scratch` is MATMUL_SCRATCH_BYTES of this thread's own.
 */
function matmulRows<T>(
  a: usize, pb: usize, out: usize, scratch: usize,
  m: i32, k: i32, n: i32, transA: bool, bBatchBytes: usize, accumulate: bool, r0: i32, r1: i32,
): void {
  if (n == 0 || r0 >= r1) return;
  if (bBatchBytes == 0) {
    segment<T>(a, pb, out, scratch, m, k, n, transA, accumulate, r0, r1);
    return;
  }
  let r = r0;
  while (r < r1) {
    const bi = r / m;
    const end = min(r1, (bi + 1) * m);
    segment<T>(a, pb + <usize>bi * bBatchBytes, out, scratch, m, k, n, transA, accumulate, r, end);
    r = end;
  }
}

export function matmul_f32(
  a: usize, pb: usize, out: usize, scratch: usize,
  m: i32, k: i32, n: i32, transA: bool, bBatchBytes: usize, accumulate: bool, r0: i32, r1: i32,
): void {
  matmulRows<f32>(a, pb, out, scratch, m, k, n, transA, bBatchBytes, accumulate, r0, r1);
}

export function matmul_f64(
  a: usize, pb: usize, out: usize, scratch: usize,
  m: i32, k: i32, n: i32, transA: bool, bBatchBytes: usize, accumulate: bool, r0: i32, r1: i32,
): void {
  matmulRows<f64>(a, pb, out, scratch, m, k, n, transA, bBatchBytes, accumulate, r0, r1);
}
