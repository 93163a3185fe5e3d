import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
export const DIST_INDEX = new URL('../dist/index.js', import.meta.url).href;

export interface NodeRun {
  /** Exit code, or null when the process was killed (by the timeout: it hung). */
  status: number | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

/**
 * Runs `code` as an ES module in a fresh Node process (packages resolve to their built files, as
 * in an install), from the package directory, with extra Node `flags` and `env` if given,
 * killing it after `timeoutMs` (30 s).
 *
 * Why a process. While an op runs, the calling thread is blocked in `Atomics.wait`, so a hang
 * would also block vitest's own test timeout; a child process can always be killed from here.
 * And only a process of its own can show that the pool lets it exit.
 */
export function runNode(code: string, options: { flags?: string[]; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): NodeRun {
  const result = spawnSync(process.execPath, [...(options.flags ?? []), '--input-type=module', '-e', code], {
    cwd: PACKAGE_DIR,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 30_000,
    killSignal: 'SIGKILL',
    env: options.env ?? process.env,
  });
  return { status: result.status, timedOut: result.signal === 'SIGKILL', stdout: result.stdout, stderr: result.stderr };
}

/** The last line of stdout parsed as JSON (what the scripts report). */
export function report<T>(run: NodeRun): T {
  const lines = run.stdout.trim().split('\n');
  try {
    return JSON.parse(lines[lines.length - 1]!) as T;
  } catch {
    throw new Error(`no JSON report: status ${run.status}, timed out ${run.timedOut}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
  }
}

/** Script prelude: imports, random tensors, byte comparison, error description. */
export function prelude(distIndex = DIST_INDEX): string {
  return `
import { zeros as created } from '@scratchnet/tensor';
import { BackendError } from '@scratchnet/backend';
import { WasmBackend } from ${JSON.stringify(distIndex)};
const INJECT_FAULT = Symbol.for('@scratchnet/backend-wasm.injectFault');
let seed = 1;
const random = (shape) => {
  const t = created(shape);
  for (let i = 0; i < t.size; i++) { seed = (seed * 16807) % 2147483647; t.data[i] = seed / 2147483647 - 0.5; }
  return t;
};
const zeros = (shape) => created(shape);
const sameBytes = (x, y) => Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(y.buffer, y.byteOffset, y.byteLength));
const describeError = (e) => e === undefined ? null : {
  name: e?.name, isBackendError: e instanceof BackendError, message: String(e?.message),
  cause: e?.cause === undefined ? null : { name: e.cause?.name, message: String(e.cause?.message) },
};
`;
}
