import { readdirSync, readFileSync } from 'node:fs';

/** Nanoseconds each thread of this process has spent on a core, and runnable but waiting for one. */
export type ThreadTimes = ReadonlyMap<string, { runNs: number; waitNs: number }>;

/** What this process's threads did between two snapshots, in milliseconds. */
export interface CoreWait {
  /** Summed over threads: time on a core. */
  runMs: number;
  /** Summed over threads: time ready to run but waiting for a core, because other work held them. */
  waitMs: number;
}

/**
 * A snapshot of this process's threads from Linux's scheduler statistics
 * (`/proc/self/task/<tid>/schedstat`: ns on a cpu, ns waiting on a run queue, time slices), or
 * null where there are none (not Linux, or schedstats unavailable).
 *
 * Why: a threaded contender is hurt by any other runnable work far more than a 1-thread one —
 * on 2 cores one other busy process leaves a 2-thread op waiting for whichever of its threads
 * lost its core, while a 1-thread contender keeps the other core. The load average says the
 * machine was busy on average; this says whether the measured threads themselves waited.
 */
export function threadTimes(): ThreadTimes | null {
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return null;
  }
  const times = new Map<string, { runNs: number; waitNs: number }>();
  for (const tid of tids) {
    let text: string;
    try {
      text = readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8');
    } catch {
      continue; // the thread ended since the directory was listed
    }
    const parsed = parseSchedstat(text);
    if (parsed !== null) times.set(tid, parsed);
  }
  return times.size === 0 ? null : times;
}

/** `/proc/<pid>/task/<tid>/schedstat`: "<ns on cpu> <ns waiting on a run queue> <time slices>". */
export function parseSchedstat(text: string): { runNs: number; waitNs: number } | null {
  const [run, wait] = text.trim().split(/\s+/).map(Number);
  return Number.isFinite(run) && Number.isFinite(wait) ? { runNs: run!, waitNs: wait! } : null;
}

/** Run and wait time of the threads between `before` and `after` (threads started since count from zero). */
export function coreWaitBetween(before: ThreadTimes, after: ThreadTimes): CoreWait {
  let runNs = 0;
  let waitNs = 0;
  for (const [tid, now] of after) {
    const then = before.get(tid) ?? { runNs: 0, waitNs: 0 };
    runNs += now.runNs - then.runNs;
    waitNs += now.waitNs - then.waitNs;
  }
  return { runMs: runNs / 1e6, waitMs: waitNs / 1e6 };
}
