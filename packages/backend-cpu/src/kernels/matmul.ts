import type { RangeQueue } from './range-queue.js';
import { scratch, SCRATCH_PACKED_A, SCRATCH_PACKED_B } from './scratch.js';
import type { FloatArray } from './types.js';

/**
 * `out = op(a) @ op(b)` (+ `out` when `accumulate`) over output rows. Rows are numbered across
 * batches: row `r` is row `r % m` of batch `floor(r / m)`, so `units = batch * m`.
 */
export interface MatmulArgs {
  a: FloatArray;
  b: FloatArray;
  out: FloatArray;
  batch: number;
  m: number;
  n: number;
  k: number;
  /** `a` is stored `[batch?, k, m]` and read transposed. */
  transposeA: boolean;
  /** `b` is stored `[batch?, n, k]` and read transposed. */
  transposeB: boolean;
  /** `b` is 2-D and shared by every batch. */
  bShared: boolean;
  accumulate: boolean;
}

/** Register tile: MR rows by NR columns of `out`, held in 16 local accumulators. */
const MR = 4;
const NR = 4;

/** Output rows per register tile; a threaded backend splits rows at multiples of this. */
export const MATMUL_ROW_TILE = MR;

/**
 * Packed B is kept within about 1 MiB of float64 so that it stays in L2 while every row tile of
 * the range streams over it (this machine's L2 is 2 MiB per core).
 */
const PACKED_B_BUDGET = 1 << 17;
const MAX_BLOCK_COLS = 256;
/**
 * A thread that takes several ranges of one product packs all of B once, up to this many
 * float64 values (4 MiB); a larger B is packed again for every range (see `matmulPackedOnce`).
 */
const PACK_ONCE_LIMIT = 1 << 19;
/** Rough cost of packing one element of B, in the flops of `KernelTask.cost`. */
const PACK_COST = 6;

/** Holds one register tile's results between the micro-kernel and the store. */
const tile = new Float64Array(MR * NR);

/**
 * Why this shape. A and B are packed into float64 panels (`a` as MR-row slivers, `b` as NR-column
 * slivers, both k-major), so the micro-kernel reads two arrays sequentially with one index each,
 * never converts float32 in the inner loop, and stays monomorphic (it only ever sees
 * Float64Array). Transposes are absorbed by packing. Each output element is one float64 sum over
 * k in increasing order, started from 0 and rounded once on store (added to `out` when
 * accumulating); edge tiles are zero-padded and run the same micro-kernel. So the value written
 * for an element does not depend on which tile, block or range it fell in: any split of the rows
 * gives bitwise identical results.
 */
export function matmulRows(args: MatmulArgs, start: number, end: number): void {
  const { m, n, k } = args;
  if (n === 0 || start >= end) return;
  if (args.bShared || args.batch <= 1) {
    rowSegment(args, start, end, 0);
    return;
  }
  // A batch-specific B: a packed panel serves only the rows of its own batch.
  let r = start;
  while (r < end) {
    const bi = Math.floor(r / m);
    const segmentEnd = Math.min(end, (bi + 1) * m);
    rowSegment(args, r, segmentEnd, bi * k * n);
    r = segmentEnd;
  }
}

function blockColumns(k: number, n: number): number {
  const fit = Math.floor(PACKED_B_BUDGET / Math.max(k, 1) / NR) * NR;
  const cols = Math.min(MAX_BLOCK_COLS, Math.max(NR, fit));
  return Math.min(cols, Math.ceil(n / NR) * NR);
}

/** Rows [r0, r1) against the B matrix starting at `bOffset`, packing B block by block. */
function rowSegment(args: MatmulArgs, r0: number, r1: number, bOffset: number): void {
  const { n, k } = args;
  const blockCols = blockColumns(k, n);
  const packedB = scratch(SCRATCH_PACKED_B, k * blockCols);
  for (let jc = 0; jc < n; jc += blockCols) {
    const cols = Math.min(blockCols, n - jc);
    packB(args.b, bOffset, args.transposeB, k, n, jc, cols, packedB);
    rowTiles(args, r0, r1, packedB, 0, jc, cols);
  }
}

/**
 * Rows [r0, r1) times the packed columns [jc, jc + cols) of B, whose first sliver starts at
 * `packedOffset` in `packedB`.
 */
function rowTiles(args: MatmulArgs, r0: number, r1: number, packedB: Float64Array, packedOffset: number, jc: number, cols: number): void {
  const { n, k, out, accumulate } = args;
  const packedA = scratch(SCRATCH_PACKED_A, k * MR);
  const panelStride = k * NR;
  const panels = Math.ceil(cols / NR);
  for (let i0 = r0; i0 < r1; i0 += MR) {
    const rows = Math.min(MR, r1 - i0);
    packA(args, i0, rows, packedA);
    for (let q = 0; q < panels; q++) {
      microKernel4x4(packedA, packedB, packedOffset + q * panelStride, k, tile);
      const j0 = jc + q * NR;
      storeTile(out, tile, i0, rows, j0, Math.min(NR, n - j0), n, accumulate);
    }
  }
}

/**
 * Whether a thread taking several ranges of this product packs B once for all of them: B is
 * shared by every row (2-D, or one batch) and small enough to keep packed whole.
 */
export function matmulPackedOnce(args: Pick<MatmulArgs, 'batch' | 'bShared' | 'k' | 'n'>): boolean {
  return (args.bShared || args.batch <= 1) && args.k * Math.ceil(args.n / NR) * NR <= PACK_ONCE_LIMIT;
}

/**
 * Work (in `KernelTask.cost` flops) that each range of this product spends before its rows:
 * packing B again, unless it is packed once per thread. A threaded backend keeps ranges large
 * enough to repay it.
 */
export function matmulRangeCost(args: Pick<MatmulArgs, 'batch' | 'bShared' | 'k' | 'n'>): number {
  return matmulPackedOnce(args) ? 0 : PACK_COST * args.k * args.n;
}

/**
 * The ranges `queue` hands this thread, one after another. Where B is packed once
 * (`matmulPackedOnce`), it is packed whole on the first range and every range reuses it: a
 * product cut into many small ranges, so that threads can balance, costs no more packing than
 * one range per thread. Each range's values are those of `matmulRows`: same panels, same tiles.
 */
export function matmulQueue(args: MatmulArgs, queue: RangeQueue): void {
  const { n, k } = args;
  if (n === 0 || !matmulPackedOnce(args)) {
    while (queue.next()) matmulRows(args, queue.start, queue.end);
    return;
  }
  const blockCols = blockColumns(k, n);
  let packedB: Float64Array | null = null;
  while (queue.next()) {
    if (packedB === null) {
      // Panels of every block, in order: block jc's first sliver sits at jc * k.
      packedB = scratch(SCRATCH_PACKED_B, k * Math.ceil(n / NR) * NR);
      packB(args.b, 0, args.transposeB, k, n, 0, n, packedB);
    }
    for (let jc = 0; jc < n; jc += blockCols) rowTiles(args, queue.start, queue.end, packedB, jc * k, jc, Math.min(blockCols, n - jc));
  }
}

/**
 * Packs columns [jc, jc + cols) of op(b) as NR-wide slivers: sliver q holds, for p = 0..k-1,
 * the NR values op(b)[p, jc + q*NR + c], zero past column n.
 */
function packB(
  b: FloatArray,
  offset: number,
  transposed: boolean,
  k: number,
  n: number,
  jc: number,
  cols: number,
  packed: Float64Array,
): void {
  const panels = Math.ceil(cols / NR);
  for (let q = 0; q < panels; q++) {
    const j0 = jc + q * NR;
    const full = j0 + NR <= n;
    let o = q * k * NR;
    if (!transposed && full) {
      for (let p = 0, src = offset + j0; p < k; p++, src += n, o += NR) {
        packed[o] = b[src]!;
        packed[o + 1] = b[src + 1]!;
        packed[o + 2] = b[src + 2]!;
        packed[o + 3] = b[src + 3]!;
      }
    } else if (transposed && full) {
      const s0 = offset + j0 * k;
      for (let p = 0; p < k; p++, o += NR) {
        packed[o] = b[s0 + p]!;
        packed[o + 1] = b[s0 + k + p]!;
        packed[o + 2] = b[s0 + 2 * k + p]!;
        packed[o + 3] = b[s0 + 3 * k + p]!;
      }
    } else {
      for (let p = 0; p < k; p++) {
        for (let c = 0; c < NR; c++, o++) {
          const j = j0 + c;
          packed[o] = j < n ? b[offset + (transposed ? j * k + p : p * n + j)]! : 0;
        }
      }
    }
  }
}

/** Packs rows [i0, i0 + rows) of op(a) (rows numbered across batches) as one MR-row sliver. */
function packA(args: MatmulArgs, i0: number, rows: number, packed: Float64Array): void {
  const { a, m, k, transposeA } = args;
  for (let t = 0; t < MR; t++) {
    let o = t;
    if (t >= rows) {
      for (let p = 0; p < k; p++, o += MR) packed[o] = 0;
      continue;
    }
    const r = i0 + t;
    if (!transposeA) {
      // a is [batch*m, k] row-major, whatever the batching.
      for (let p = 0, src = r * k; p < k; p++, o += MR) packed[o] = a[src + p]!;
    } else {
      // a is [batch, k, m]: element (i, p) of batch bi sits at bi*k*m + p*m + i.
      const bi = Math.floor(r / m);
      const base = bi * k * m + (r - bi * m);
      for (let p = 0, src = base; p < k; p++, src += m, o += MR) packed[o] = a[src]!;
    }
  }
}

/**
 * The 4x4 register tile: 16 accumulators in locals, one k step reads 4 values of A and 4 of B.
 * Each accumulator sums products in increasing p from 0, which fixes every element's value.
 */
function microKernel4x4(pa: Float64Array, pb: Float64Array, pbOffset: number, k: number, c: Float64Array): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  const end = k * MR;
  for (let ia = 0, ib = pbOffset; ia < end; ia += MR, ib += NR) {
    const a0 = pa[ia]!, a1 = pa[ia + 1]!, a2 = pa[ia + 2]!, a3 = pa[ia + 3]!;
    const b0 = pb[ib]!, b1 = pb[ib + 1]!, b2 = pb[ib + 2]!, b3 = pb[ib + 3]!;
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  c[0] = c00; c[1] = c01; c[2] = c02; c[3] = c03;
  c[4] = c10; c[5] = c11; c[6] = c12; c[7] = c13;
  c[8] = c20; c[9] = c21; c[10] = c22; c[11] = c23;
  c[12] = c30; c[13] = c31; c[14] = c32; c[15] = c33;
}

function storeTile(
  out: FloatArray,
  c: Float64Array,
  i0: number,
  rows: number,
  j0: number,
  cols: number,
  n: number,
  accumulate: boolean,
): void {
  for (let t = 0; t < rows; t++) {
    const dst = (i0 + t) * n + j0;
    const src = t * NR;
    if (accumulate) {
      for (let u = 0; u < cols; u++) out[dst + u] = out[dst + u]! + c[src + u]!;
    } else {
      for (let u = 0; u < cols; u++) out[dst + u] = c[src + u]!;
    }
  }
}
