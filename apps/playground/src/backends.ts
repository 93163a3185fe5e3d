import type { Backend } from '@scratchnet/backend';

/** What a backend needs of the browser. */
export type Requirement = 'simd' | 'isolation';

/** What the page found out about the browser it runs in. */
export interface Environment {
  /** WebAssembly SIMD128 validates. */
  simd: boolean;
  /** `crossOriginIsolated`: the page may share memory with its workers. */
  crossOriginIsolated: boolean;
}

/** One entry of the backend picker. */
export interface BackendChoice {
  id: string;
  label: string;
  needs: readonly Requirement[];
  /**
   * Makes the backend, inside the training worker. The tests call the very same function in Node
   * to get the bytes the page must reproduce (but for `js-threads`, whose Web Workers Node does
   * not have: there Node's WorkerBackend stands in, and the cpu backend's bytes are the target).
   */
  create: () => Promise<Backend>;
}

const WHY: Record<Requirement, string> = {
  simd: 'this browser has no WebAssembly SIMD',
  isolation: 'the page is not cross-origin isolated (its server must send Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)',
};

/**
 * The backends, in picker order. A backend is one `create` line here; the picker, the worker and
 * the samples/s table read only this list.
 */
export const BACKENDS: readonly BackendChoice[] = [
  { id: 'cpu', label: 'cpu — JavaScript, 1 thread', needs: [], create: async () => new (await import('@scratchnet/backend-cpu')).CpuBackend() },
  { id: 'wasm', label: 'wasm — WebAssembly SIMD, 1 thread', needs: ['simd'], create: async () => (await import('@scratchnet/backend-wasm')).WasmBackend.create() },
  {
    id: 'wasm-threads',
    label: 'wasm — WebAssembly SIMD, 2 threads',
    needs: ['simd', 'isolation'],
    // Runs in the training worker, which may block while the backend's own Web Worker computes.
    create: async () => (await import('@scratchnet/backend-wasm')).WasmBackend.create({ threads: 2 }),
  },
  {
    id: 'js-threads',
    label: 'JavaScript, 2 threads (Web Workers)',
    needs: ['isolation'],
    // The cpu backend's kernels on the training worker and one Web Worker of its own: the same bits
    // as cpu. The workers start once the training worker yields; `ready` waits for them.
    create: async () => {
      const backend = new (await import('@scratchnet/backend-worker/browser')).WorkerBackend({ threads: 2 });
      await backend.ready();
      return backend;
    },
  },
];

/** Why `choice` cannot run in this browser (what it lacks), or undefined. */
export function unavailableReason(choice: BackendChoice, env: Environment): string | undefined {
  const reasons = choice.needs.filter((need) => (need === 'simd' ? !env.simd : !env.crossOriginIsolated)).map((need) => WHY[need]);
  return reasons.length === 0 ? undefined : reasons.join('; ');
}

export function backendById(id: string): BackendChoice {
  const choice = BACKENDS.find((b) => b.id === id);
  if (choice === undefined) throw new Error(`no backend ${JSON.stringify(id)}; expected one of ${BACKENDS.map((b) => b.id).join(', ')}`);
  return choice;
}
