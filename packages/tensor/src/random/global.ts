import { Rng, type Seed } from './rng.js';

// The default generator lives on globalThis under a registered symbol so that two copies of
// this package in one install (a duplicated dependency) draw from one stream, as `np.random`
// has one global RandomState.
const KEY = Symbol.for('@scratchnet/tensor.rng');
type Slot = { [KEY]?: Rng };

/**
 * The global default generator, used by every random function not given an `rng`. Created on
 * first use, seeded from the platform's entropy until `seed()` is called.
 */
export function getGlobalRng(): Rng {
  const slot = globalThis as Slot;
  let rng = slot[KEY];
  if (rng === undefined) {
    rng = new Rng();
    slot[KEY] = rng;
  }
  return rng;
}

/** Seeds the global generator exactly as `np.random.seed(seed)` seeds NumPy's. */
export function seed(value?: Seed): void {
  getGlobalRng().seed(value);
}
