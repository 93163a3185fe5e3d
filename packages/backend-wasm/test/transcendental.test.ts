import { SuiteRandom } from '@scratchnet/backend/testing';
import { describe, expect, it } from 'vitest';
import { kernelModule } from '../src/module/kernel-module.js';
import { instantiate } from '../src/module/instantiate.js';

/**
 * The module's exp, log, expm1 and tanh are fdlibm's, as V8's Math functions are: the same bits
 * on every input, so the transcendental kernels (exp, sigmoid, log, tanh, softmax, cross-entropy)
 * give the cpu backend's results. The branch-free two-lane exp must agree with the scalar one everywhere,
 * its range boundaries included.
 */
const memory = new WebAssembly.Memory({ initial: 2, maximum: 2, shared: true });
const k = instantiate(kernelModule(true), memory);
const lanes = new Float64Array(memory.buffer, 1024, 4);

/** The smallest float64 with high word 0x3fd62e43: where fdlibm starts reducing by k ln2. */
const REDUCE = new DataView(new Uint8Array([0x3f, 0xd6, 0x2e, 0x43, 0, 0, 0, 0]).buffer).getFloat64(0);

const EDGES = [
  0, -0, 1, -1, NaN, Infinity, -Infinity, 5e-324, -5e-324, 2.2250738585072014e-308, 1e-300,
  3.725290298461914e-9, 3.7252902984619136e-9, -3.725290298461914e-9, // 2^-28, the tiny bound
  0.5 * Math.LN2, REDUCE, REDUCE - 5.551115123125783e-17, -REDUCE, // 0.5 ln2, the reduction bound (high word 0x3fd62e43)
  1.5 * Math.LN2, 1.03972053527832, -1.03972053527832, // 1.5 ln2
  705.9999999999999, 706, -706, 708.3, -708.3, 709.782712893384, 709.7827128933841, 710, -745.1332191019411, -745.1332191019412, -746,
  88.72283935546875, -103.97208404541016, 1e10, -1e10,
];

function inputs(rng: SuiteRandom, n: number): number[] {
  const xs = [...EDGES];
  // Around the reduction bound, densely: fdlibm decides there by the high word alone.
  for (let i = -2000; i < 2000; i++) xs.push(REDUCE + i * 2.5e-13, -(REDUCE + i * 2.5e-13));
  for (let i = 0; i < n; i++) {
    const r = i % 4;
    if (r === 0) xs.push(rng.uniform(-1, 1));
    else if (r === 1) xs.push(rng.uniform(-30, 30));
    else if (r === 2) xs.push(rng.uniform(-750, 750));
    else xs.push(Math.fround(rng.uniform(-110, 90)));
  }
  return xs;
}

describe('fdlibm in the kernel module', () => {
  it('exp equals Math.exp bit for bit', () => {
    const rng = new SuiteRandom(1);
    let bad = 0;
    for (const x of inputs(rng, 200_000)) if (!Object.is(k.fdlibmExp(x), Math.exp(x))) bad++;
    expect(bad).toBe(0);
  });

  it('the two-lane exp equals Math.exp bit for bit, on both lanes, fast range and fallback alike', () => {
    const rng = new SuiteRandom(2);
    const xs = inputs(rng, 100_000);
    let bad = 0;
    for (let i = 0; i < xs.length; i++) {
      const a = xs[i]!;
      const b = xs[(i * 7919 + 13) % xs.length]!;
      lanes[0] = a;
      lanes[1] = b;
      k.fdlibmExpLanes(1024, 1040);
      if (!Object.is(lanes[2], Math.exp(a)) || !Object.is(lanes[3], Math.exp(b))) bad++;
    }
    expect(bad).toBe(0);
  });

  it('expm1 and tanh equal Math.expm1 and Math.tanh bit for bit', () => {
    const rng = new SuiteRandom(4);
    const xs = [...EDGES, ...EDGES.map((x) => -x), 1e-17, -1e-17, 22, 22.000000000000004, 21.999999999999996, 56 * Math.LN2, 57 * Math.LN2, 20 * Math.LN2, 38.5];
    for (let i = 0; i < 200_000; i++) xs.push(rng.uniform(-1, 1) * [1e-9, 0.3, 1.2, 4, 30, 800][i % 6]!);
    let bad = 0;
    for (const x of xs) if (!Object.is(k.fdlibmExpm1(x), Math.expm1(x)) || !Object.is(k.fdlibmTanh(x), Math.tanh(x))) bad++;
    expect(bad).toBe(0);
  });

  it('log equals Math.log bit for bit', () => {
    const rng = new SuiteRandom(3);
    let bad = 0;
    const xs = [...EDGES, ...EDGES.map((x) => -x)];
    for (let i = 0; i < 200_000; i++) xs.push(i % 2 ? rng.uniform(0, 1000) : Math.exp(rng.uniform(-745, 709)));
    for (const x of xs) if (!Object.is(k.fdlibmLog(x), Math.log(x))) bad++;
    expect(bad).toBe(0);
  });
});
