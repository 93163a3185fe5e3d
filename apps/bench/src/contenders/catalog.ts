import type { Contender } from './contender.js';
import { scratchnetContender, scratchnetName } from './scratchnet.js';

/**
 * A contender as the bench names it between processes: `cpu`, `worker:<threads>`, `tfjs-cpu` or
 * `tfjs-wasm`. The parent process passes it to each child as `--contender <id>`.
 */
export type ContenderId = string;

/** Every contender of a run, in the order of the tables' rows. */
export function contenderIds(threads: readonly number[]): ContenderId[] {
  return ['cpu', ...threads.map((t) => `worker:${t}`), 'tfjs-cpu', 'tfjs-wasm'];
}

function workerThreads(id: ContenderId): number | undefined {
  const match = /^worker:([1-9]\d*)$/.exec(id);
  return match ? Number(match[1]) : undefined;
}

function isTfjs(id: ContenderId): id is 'tfjs-cpu' | 'tfjs-wasm' {
  return id === 'tfjs-cpu' || id === 'tfjs-wasm';
}

/** The row label of a contender, without loading its library. */
export function contenderName(id: ContenderId): string {
  if (id === 'cpu') return scratchnetName();
  const threads = workerThreads(id);
  if (threads !== undefined) return scratchnetName(threads);
  if (isTfjs(id)) return id;
  throw unknown(id);
}

/** The contender itself. tfjs is imported only by the process that measures it. */
export async function createContender(id: ContenderId): Promise<Contender> {
  if (id === 'cpu') return scratchnetContender();
  const threads = workerThreads(id);
  if (threads !== undefined) return scratchnetContender(threads);
  if (isTfjs(id)) {
    const { tfjsContender } = await import('./tfjs.js');
    return tfjsContender(id === 'tfjs-cpu' ? 'cpu' : 'wasm');
  }
  throw unknown(id);
}

function unknown(id: ContenderId): Error {
  return new Error(`unknown contender '${id}'; contenders are cpu, worker:<threads>, tfjs-cpu, tfjs-wasm`);
}
