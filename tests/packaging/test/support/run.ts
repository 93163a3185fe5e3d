import { spawnSync } from 'node:child_process';

/** What a finished command left behind. */
export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment without the `npm_*` variables pnpm sets for its scripts: npm reads
 * `npm_config_*` as its own settings, and the programs should see what a user's shell gives them.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key)) env[key] = value;
  return { ...env, ...extra };
}

/** Runs a command to completion (bounded by `timeoutMs`), never throwing: the caller asserts. */
export function run(command: string, args: string[], options: { cwd: string; timeoutMs?: number; env?: NodeJS.ProcessEnv }): RunResult {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: options.env ?? cleanEnv(),
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) return { status: null, stdout: result.stdout ?? '', stderr: `${result.error.message}\n${result.stderr ?? ''}` };
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Like `run`, but throws with the command's output when it fails. */
export function runOk(command: string, args: string[], options: { cwd: string; timeoutMs?: number; env?: NodeJS.ProcessEnv }): RunResult {
  const result = run(command, args, options);
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} (in ${options.cwd}) exited with ${result.status}\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

/**
 * How to call the pnpm that runs these tests (it sets `npm_execpath` for its scripts), else the
 * one on PATH. Only pnpm packs `workspace:^` as the range a user's install sees.
 */
export function pnpmCommand(): { command: string; prefix: string[] } {
  const exec = process.env.npm_execpath;
  if (exec !== undefined && /pnpm/i.test(exec)) {
    return /\.[cm]?js$/.test(exec) ? { command: process.execPath, prefix: [exec] } : { command: exec, prefix: [] };
  }
  return { command: 'pnpm', prefix: [] };
}
