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
   * Makes the backend, inside the training worker. Absent while its package is not in this build.
   * The tests call the very same function in Node to get the bytes the page must reproduce.
   */
  create?: () => Promise<Backend>;
  /** Why `create` is absent. */
  missing?: string;
}

const WHY: Record<Requirement, string> = {
  simd: 'this browser has no WebAssembly SIMD',
  isolation: 'the page is not cross-origin isolated (its server must send Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)',
};

/**
 * The backends, in picker order. A backend whose package lands is one `create` line here; the
 * picker, the worker and the samples/s table read only this list.
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
    missing: "@scratchnet/backend-worker runs on Node's worker_threads; its Web Worker pool is not built yet (issue 14, threads)",
  },
];

/** Why `choice` cannot run here — what the browser lacks first, then what the build lacks — or undefined. */
export function unavailableReason(choice: BackendChoice, env: Environment): string | undefined {
  const reasons = choice.needs.filter((need) => (need === 'simd' ? !env.simd : !env.crossOriginIsolated)).map((need) => WHY[need]);
  if (choice.create === undefined) reasons.push(choice.missing ?? 'not in this build');
  return reasons.length === 0 ? undefined : reasons.join('; ');
}

export function backendById(id: string): BackendChoice {
  const choice = BACKENDS.find((b) => b.id === id);
  if (choice === undefined) throw new Error(`no backend ${JSON.stringify(id)}; expected one of ${BACKENDS.map((b) => b.id).join(', ')}`);
  return choice;
}
