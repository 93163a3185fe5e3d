/**
 * The environment of the pool threads: no Node flags, and the caller's environment variables
 * without `NODE_OPTIONS` (which Node would otherwise apply to each thread again).
 *
 * Why not inherit, as Node does by default. The threads run nothing but scratchnet's kernels,
 * and the caller's flags can only get in their way:
 * - preloads (`--import`, `--require`, in flags or `NODE_OPTIONS`) would run the application's
 *   setup in every thread; one that selects this backend would start pools inside pools;
 * - export conditions (`--conditions`): workspace test runners pass `@scratchnet/source`, which
 *   maps scratchnet's packages to TypeScript sources Node cannot load;
 * - `--input-type` (from `node -e`) makes Node refuse to load a worker's script file;
 * - flags Node accepts for a process but not for a worker (`--expose-gc`, V8 options) would make
 *   an explicit list throw.
 */
export function cleanEnvironment(env: NodeJS.ProcessEnv): { execArgv: string[]; env: NodeJS.ProcessEnv } {
  const { NODE_OPTIONS: _dropped, ...rest } = env;
  return { execArgv: [], env: rest };
}
