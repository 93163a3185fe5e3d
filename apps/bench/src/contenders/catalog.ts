import type { Contender } from './contender.js';
import { scratchnetContender, scratchnetName, type ScratchnetBackend } from './scratchnet.js';

/**
 * A contender as the bench names it between processes: `cpu`, `worker:<threads>`,
 * `wasm:<threads>`, `tfjs-cpu` or `tfjs-wasm`. The parent process passes it to each child as
 * `--contender <id>`.
 */
export type ContenderId = string;

/** Thread counts of the scratchnet backends that have them, one row each. */
export interface ThreadCounts {
  worker: readonly number[];
  wasm: readonly number[];
}

/** Every contender of a run, in the order of the tables' rows. */
export function contenderIds(threads: ThreadCounts): ContenderId[] {
  return ['cpu', ...threads.worker.map((t) => `worker:${t}`), ...threads.wasm.map((t) => `wasm:${t}`), 'tfjs-cpu', 'tfjs-wasm'];
}

function scratchnetBackend(id: ContenderId): ScratchnetBackend | undefined {
  if (id === 'cpu') return { kind: 'cpu' };
  const match = /^(worker|wasm):([1-9]\d*)$/.exec(id);
  return match ? { kind: match[1] as 'worker' | 'wasm', threads: Number(match[2]) } : undefined;
}

function isTfjs(id: ContenderId): id is 'tfjs-cpu' | 'tfjs-wasm' {
  return id === 'tfjs-cpu' || id === 'tfjs-wasm';
}

/** The row label of a contender, without loading its library. */
export function contenderName(id: ContenderId): string {
  const backend = scratchnetBackend(id);
  if (backend !== undefined) return scratchnetName(backend);
  if (isTfjs(id)) return id;
  throw unknown(id);
}

/** The contender itself. tfjs is imported only by the process that measures it. */
export async function createContender(id: ContenderId): Promise<Contender> {
  const backend = scratchnetBackend(id);
  if (backend !== undefined) return scratchnetContender(backend);
  if (isTfjs(id)) {
    const { tfjsContender } = await import('./tfjs.js');
    return tfjsContender(id === 'tfjs-cpu' ? 'cpu' : 'wasm');
  }
  throw unknown(id);
}

function unknown(id: ContenderId): Error {
  return new Error(`unknown contender '${id}'; contenders are cpu, worker:<threads>, wasm:<threads>, tfjs-cpu, tfjs-wasm`);
}
