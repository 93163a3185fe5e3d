import type { Backend } from '@scratchnet/backend';
import { CpuBackend } from '@scratchnet/backend-cpu';

/** The compute backends the demo can run on, by `--backend` name. */
export const BACKENDS: Record<string, () => Backend> = {
  cpu: () => new CpuBackend(),
};

export const BACKEND_NAMES = Object.keys(BACKENDS);

export function createBackend(name: string): Backend {
  const make = BACKENDS[name];
  if (!make) throw new Error(`unknown backend '${name}'; choose one of ${BACKEND_NAMES.join(', ')}`);
  return make();
}
