import type { DType, Tensor } from '@scratchnet/tensor';
import type { AdamOptions, MomentumOptions, RmspropOptions, SgdOptions } from '../../backend.js';
import { assertMatches } from '../check.js';
import type { Harness, SuiteContext } from '../harness.js';

const STEPS = 4;

/**
 * Runs `STEPS` updates on the backend (state in the param's dtype) and on the reference (float64
 * copies), with a fresh gradient each step, and compares the parameter and every state tensor
 * after each step.
 */
function checkUpdates(
  h: Harness,
  name: string,
  n: number,
  dtype: DType,
  states: ReadonlyArray<'signed' | 'squares' | 'zeros'>,
  update: (backend: 'backend' | 'ref', tensors: Tensor[], step: number) => void,
): void {
  const param = h.random([n], dtype, { low: -2, high: 2 });
  // State as a few earlier steps leave it; running means of squares are never negative.
  const state = states.map((kind) =>
    kind === 'zeros' ? h.zeros([n], dtype) : h.random([n], dtype, kind === 'squares' ? { low: 0, high: 0.5 } : { low: -0.5, high: 0.5 }),
  );
  const refTensors = [param, ...state].map((t) => h.up(t));
  for (let step = 1; step <= STEPS; step++) {
    const grad = h.random([n], dtype, { low: -1, high: 1 });
    const what = `${name}(${dtype} [${n}]) step ${step}`;
    h.run(what, [grad], () => update('backend', [param, grad, ...state], step));
    update('ref', [refTensors[0]!, h.up(grad), ...refTensors.slice(1)], step);
    assertMatches(`${what} param`, param, refTensors[0]!);
    state.forEach((t, i) => assertMatches(`${what} state ${i}`, t, refTensors[i + 1]!));
  }
}

export function registerOptimizers(ctx: SuiteContext): void {
  ctx.api.describe('optimizer updates', () => {
    const sizes = [1, 7, 33, 129, ...(ctx.options.extraSizes ?? [])];
    for (const dtype of ['float32', 'float64'] as const) {
      ctx.test(`sgdUpdate ${dtype}, with and without weight decay`, (h) => {
        for (const options of [{ lr: 0.1 }, { lr: 0.05, weightDecay: 0.01 }, { lr: 0 }] as SgdOptions[]) {
          for (const n of sizes) {
            checkUpdates(h, `sgdUpdate ${JSON.stringify(options)}`, n, dtype, [], (who, [p, g]) =>
              (who === 'backend' ? h.kernels : h.ref).sgdUpdate(p!, g!, options),
            );
          }
        }
      });
      ctx.test(`momentumUpdate ${dtype}, plain and Nesterov`, (h) => {
        for (const options of [{ lr: 0.1, momentum: 0.9 }, { lr: 0.05, momentum: 0.5, nesterov: true }, { lr: 0.1, momentum: 0 }] as MomentumOptions[]) {
          for (const n of sizes) {
            checkUpdates(h, `momentumUpdate ${JSON.stringify(options)}`, n, dtype, ['signed'], (who, [p, g, v]) =>
              (who === 'backend' ? h.kernels : h.ref).momentumUpdate(p!, g!, v!, options),
            );
          }
        }
      });
      ctx.test(`adamUpdate ${dtype}, Adam and AdamW`, (h) => {
        const variants: Array<Omit<AdamOptions, 'step'>> = [
          { lr: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
          { lr: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-3, weightDecay: 0.1 },
          { lr: 0.1, beta1: 0, beta2: 0.5, epsilon: 1e-8 },
        ];
        for (const options of variants) {
          for (const n of sizes) {
            checkUpdates(h, `adamUpdate ${JSON.stringify(options)}`, n, dtype, ['signed', 'squares'], (who, [p, g, m, v], step) =>
              (who === 'backend' ? h.kernels : h.ref).adamUpdate(p!, g!, m!, v!, { ...options, step }),
            );
          }
        }
      });
      ctx.test(`rmspropUpdate ${dtype}: plain, centered, with momentum`, (h) => {
        const variants: RmspropOptions[] = [
          { lr: 0.01, rho: 0.9, epsilon: 1e-7 },
          { lr: 0.01, rho: 0.9, epsilon: 1e-7, momentum: 0, centered: false },
          { lr: 0.02, rho: 0.5, epsilon: 1e-3, momentum: 0.9 },
          { lr: 0.01, rho: 0.9, epsilon: 1e-7, centered: true },
          { lr: 0.05, rho: 0.8, epsilon: 1e-4, momentum: 0.5, centered: true },
        ];
        for (const options of variants) {
          const centered = options.centered === true;
          const withBuffer = (options.momentum ?? 0) > 0;
          // A centered variance s - mg² stays positive when mg² <= s: start mg at 0.
          const states: Array<'squares' | 'signed' | 'zeros'> = ['squares', ...(centered ? ['zeros' as const] : []), ...(withBuffer ? ['signed' as const] : [])];
          for (const n of sizes) {
            checkUpdates(h, `rmspropUpdate ${JSON.stringify(options)}`, n, dtype, states, (who, [p, g, s, ...rest]) => {
              const mg = centered ? rest[0]! : null;
              const b = withBuffer ? rest[centered ? 1 : 0]! : null;
              (who === 'backend' ? h.kernels : h.ref).rmspropUpdate(p!, g!, s!, mg, b, options);
            });
          }
        }
      });
    }
  });
}
