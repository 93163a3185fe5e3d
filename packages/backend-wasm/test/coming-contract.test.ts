import { SuiteRandom } from '@scratchnet/backend/testing';
import { describe, expect, it } from 'vitest';
import { kernelModule } from '../src/module/kernel-module.js';
import { instantiate } from '../src/module/instantiate.js';
import { firstDifferenceUpToNaN } from './bits.js';

/**
 * Kernels of the coming kernel contract (issue 9) that the backend's methods do not reach yet:
 * ELU backward and RMSprop in the TF.js/Keras form. Called on the module directly, against the
 * formulas as the contract (and the cpu backend) writes them, in float64 and rounded once.
 */
const memory = new WebAssembly.Memory({ initial: 64, maximum: 64, shared: true });
const k = instantiate(kernelModule(true), memory);
const F32 = 4;
const F64 = 8;

function region(bytesPer: number, n: number, slot: number): { at: number; view: Float32Array | Float64Array } {
  const at = 65536 + slot * 65536;
  return { at, view: bytesPer === 4 ? new Float32Array(memory.buffer, at, n) : new Float64Array(memory.buffer, at, n) };
}

const SPECIALS = [NaN, Infinity, -Infinity, 0, -0, 1e-40, -1e-45, 5e-324, 3.4e38];

function fill(rng: SuiteRandom, view: Float32Array | Float64Array, lo: number, hi: number, specials: boolean): void {
  for (let i = 0; i < view.length; i++) view[i] = specials && rng.next() < 0.1 ? rng.pick(SPECIALS) : rng.uniform(lo, hi);
}

describe('ELU backward from the output: y > 0 ? dy : dy * (y + alpha)', () => {
  for (const size of [F32, F64]) {
    it(`${size === F32 ? 'float32' : 'float64'}, special values included`, () => {
      const rng = new SuiteRandom(size);
      const n = 1001;
      const saved = region(size, n, 0);
      const dy = region(size, n, 1);
      const dx = region(size, n, 2);
      for (const alpha of [1, 0.3, 1.7]) {
        fill(rng, saved.view, -alpha, 3, true);
        fill(rng, dy.view, -1, 1, true);
        // The typed array's map stores each value as the cpu backend's kernel does.
        const expected = saved.view.map((y, i) => (y > 0 ? dy.view[i]! : dy.view[i]! * (y + alpha)));
        (size === F32 ? k.activationBackward_f32 : k.activationBackward_f64)(4, saved.at, dy.at, dx.at, alpha, 0, 500);
        (size === F32 ? k.activationBackward_f32 : k.activationBackward_f64)(4, saved.at, dy.at, dx.at, alpha, 500, n);
        expect(firstDifferenceUpToNaN(dx.view, expected)).toBe(-1);
      }
    });
  }
});

describe('RMSprop, TF.js/Keras form (epsilon inside the root, lr inside the buffer, centered)', () => {
  for (const size of [F32, F64]) {
    for (const centered of [false, true]) {
      for (const momentum of [0, 0.9]) {
        it(`${size === F32 ? 'float32' : 'float64'} centered=${centered} momentum=${momentum}`, () => {
          const rng = new SuiteRandom(size + (centered ? 10 : 0) + (momentum > 0 ? 100 : 0));
          const n = 257;
          const [param, grad, ms, mg, buf] = [0, 1, 2, 3, 4].map((slot) => region(size, n, slot));
          fill(rng, param!.view, -2, 2, false);
          fill(rng, ms!.view, 0, 0.5, false);
          fill(rng, mg!.view, -0.1, 0.1, false);
          fill(rng, buf!.view, -0.5, 0.5, false);
          const [lr, rho, epsilon] = [0.01, 0.9, 1e-7];
          const round = size === F32 ? Math.fround : (v: number) => v;
          const p = Array.from(param!.view);
          const s = Array.from(ms!.view);
          const m = Array.from(mg!.view);
          const b = Array.from(buf!.view);
          for (let step = 0; step < 3; step++) {
            fill(rng, grad!.view, -1, 1, false);
            for (let i = 0; i < n; i++) {
              const g = grad!.view[i]!;
              const si = rho * s[i]! + (1 - rho) * g * g;
              s[i] = round(si);
              let denominator = si + epsilon;
              if (centered) {
                const mgi = rho * m[i]! + (1 - rho) * g;
                m[i] = round(mgi);
                denominator = si - mgi * mgi + epsilon;
              }
              const increment = (lr * g) / Math.sqrt(denominator);
              if (momentum > 0) {
                const bi = momentum * b[i]! + increment;
                b[i] = round(bi);
                p[i] = round(p[i]! - bi);
              } else {
                p[i] = round(p[i]! - increment);
              }
            }
            const run = size === F32 ? k.rmspropTf_f32 : k.rmspropTf_f64;
            run(param!.at, grad!.at, ms!.at, centered ? mg!.at : 0, momentum > 0 ? buf!.at : 0, lr, rho, epsilon, momentum, 0, 100);
            run(param!.at, grad!.at, ms!.at, centered ? mg!.at : 0, momentum > 0 ? buf!.at : 0, lr, rho, epsilon, momentum, 100, n);
            const as = (values: number[]): Float32Array | Float64Array => (size === F32 ? Float32Array.from(values) : Float64Array.from(values));
            expect(firstDifferenceUpToNaN(param!.view, as(p))).toBe(-1);
            expect(firstDifferenceUpToNaN(ms!.view, as(s))).toBe(-1);
            if (centered) expect(firstDifferenceUpToNaN(mg!.view, as(m))).toBe(-1);
            if (momentum > 0) expect(firstDifferenceUpToNaN(buf!.view, as(b))).toBe(-1);
          }
        });
      }
    }
  }
});
