import { setAllocator } from '@scratchnet/tensor';
import { CORE_KERNELS, type Backend, type Kernels } from './backend.js';
import { BackendError } from './errors.js';
import { kernelsOf } from './kernels.js';
import { isBinaryOp } from './spec/binary.js';
import { isUnaryOp } from './spec/unary.js';

// The active backend lives on globalThis under a registered symbol, so two copies of this
// package in one install (a duplicated dependency) agree on it.
const KEY = Symbol.for('@scratchnet/backend.active');
type Slot = { [KEY]?: Backend | undefined };

const NO_BACKEND =
  'no backend is set. Install one and select it before the first op, e.g.\n' +
  '  npm install @scratchnet/backend-cpu\n' +
  "  import { CpuBackend } from '@scratchnet/backend-cpu';\n" +
  "  import { setBackend } from '@scratchnet/backend';\n" +
  '  setBackend(new CpuBackend());';

/**
 * Refuses what cannot serve as a backend: not an object, a core kernel missing (all of them are
 * named), or an op list naming ops that do not exist.
 */
export function assertBackend(op: string, backend: unknown): asserts backend is Backend {
  if (backend === null || typeof backend !== 'object') {
    throw new BackendError(`${op}: expected a Backend (an object with the core kernels ${CORE_KERNELS.join(', ')}), got ${String(backend)}`);
  }
  const b = backend as Partial<Record<string, unknown>>;
  const missing = CORE_KERNELS.filter((name) => typeof b[name] !== 'function');
  if (missing.length > 0) {
    const name = typeof b.name === 'string' ? `backend '${b.name}'` : 'the backend';
    throw new BackendError(
      `${op}: ${name} lacks the required kernel${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; ` +
        `every backend implements the core kernels ${CORE_KERNELS.join(', ')} (the fused kernels are optional)`,
    );
  }
  for (const [key, isOp] of [['unaryOps', isUnaryOp], ['binaryOps', isBinaryOp]] as const) {
    const list = b[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw new BackendError(`${op}: ${key} must be an array of op names, got ${String(list)}`);
    const unknown = list.filter((name) => !isOp(name));
    if (unknown.length > 0) throw new BackendError(`${op}: ${key} names unknown ops ${unknown.map((u) => JSON.stringify(u)).join(', ')}`);
  }
}

/**
 * Makes `backend` the one every op uses, and installs its allocator for new tensors. Returns
 * the previous backend (or undefined).
 */
export function setBackend(backend: Backend): Backend | undefined {
  assertBackend('setBackend', backend);
  const slot = globalThis as Slot;
  const previous = slot[KEY];
  slot[KEY] = backend;
  setAllocator(backend.allocator ?? null);
  return previous;
}

/** The active backend; throws a BackendError saying how to set one when there is none. */
export function getBackend(op = 'getBackend'): Backend {
  const backend = (globalThis as Slot)[KEY];
  if (backend === undefined) throw new BackendError(`${op}: ${NO_BACKEND}`);
  return backend;
}

/**
 * The active backend's kernels, complete: its own, and the rest composed from its core (what
 * `ops` calls). Throws as `getBackend` does when none is set.
 */
export function getKernels(op = 'getKernels'): Kernels {
  return kernelsOf(getBackend(op));
}

/** The active backend, or undefined. */
export function currentBackend(): Backend | undefined {
  return (globalThis as Slot)[KEY];
}

/** Forgets the active backend and restores plain tensor memory (tests, shutdown). */
export function clearBackend(): void {
  (globalThis as Slot)[KEY] = undefined;
  setAllocator(null);
}

/**
 * Runs `fn` with `backend` active and restores the previous one afterwards, also when `fn`
 * throws. For an async `fn`, the previous backend comes back when its promise settles; do not
 * interleave two async `withBackend` scopes.
 */
export function withBackend<T>(backend: Backend, fn: () => T): T {
  assertBackend('withBackend', backend);
  const slot = globalThis as Slot;
  const previous = slot[KEY];
  const restore = (): void => {
    slot[KEY] = previous;
    setAllocator(previous?.allocator ?? null);
  };
  slot[KEY] = backend;
  setAllocator(backend.allocator ?? null);
  let result: T;
  try {
    result = fn();
  } catch (err) {
    restore();
    throw err;
  }
  if (result instanceof Promise) {
    return result.finally(restore) as T;
  }
  restore();
  return result;
}
