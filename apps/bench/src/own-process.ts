import { fork } from 'node:child_process';
import type { BenchPlan, ContenderResult } from './measure-contender.js';

/** What a contender's process sends back: its rows. */
interface Report {
  type: 'contender-result';
  result: ContenderResult;
}

/**
 * Measures one contender in a Node process of its own: `node <script> <args> --contender <id>`,
 * which sends its rows back over the IPC channel. Nothing a contender does (code V8 optimised
 * for it, its threads, its heap, tfjs's global state) can then speed up or slow down the next
 * one: each is measured as in a user's fresh process. The child's stdout goes to this process's
 * stderr, so nothing it prints can enter the report. Resolves with error rows, never rejects,
 * when the child cannot start or exits without reporting.
 */
export function measureInOwnProcess(
  script: string,
  args: readonly string[],
  id: string,
  name: string,
  plan: BenchPlan,
  onStart: (pid: number | undefined) => void,
): Promise<ContenderResult> {
  return new Promise((resolve) => {
    let result: ContenderResult | undefined;
    let settled = false;
    const fail = (why: string): ContenderResult => ({
      ...(plan.matmul && { matmul: { name, error: why }, matmul64: { name, error: why } }),
      ...(plan.train && { train: { name, error: why } }),
      ...(plan.cnn && { cnn: { name, error: why } }),
    });
    const settle = (value: ContenderResult) => {
      if (settled) return;
      settled = true;
      resolve(value);
    };
    // execArgv and the environment pass through (as fork does by default), so flags such as
    // --cpu-prof given to the bench apply to the process that measures.
    const child = fork(script, [...args, '--contender', id], { stdio: ['ignore', 2, 'inherit', 'ipc'] });
    onStart(child.pid);
    child.on('message', (m: Report) => {
      if (m !== null && typeof m === 'object' && m.type === 'contender-result') result = m.result;
    });
    child.on('error', (err) => settle(fail(`could not run its process: ${err.message}`)));
    child.on('exit', (code, signal) => {
      if (result !== undefined) settle(result);
      else settle(fail(`its process exited (${signal ?? `code ${code}`}) without reporting`));
    });
  });
}

/**
 * The child's side: hands `result` to the parent over IPC and closes the channel, so the process
 * exits once its own work is done. Run by hand (no IPC channel), it prints the result as JSON.
 */
export function reportToParent(result: ContenderResult): Promise<void> {
  if (process.send === undefined) {
    console.log(JSON.stringify(result));
    return Promise.resolve();
  }
  const report: Report = { type: 'contender-result', result };
  return new Promise((resolve, reject) => {
    process.send!(report, undefined, {}, (err) => {
      if (err) reject(err);
      else {
        process.disconnect();
        resolve();
      }
    });
  });
}
