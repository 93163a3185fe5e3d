import type { MessagePort } from 'node:worker_threads';

/** What the supervisor is started with: the control block, its word numbers, and the ports. */
export interface SupervisorData {
  control: SharedArrayBuffer;
  /** URL of the compute worker script (dist/worker-entry.js). */
  entry: string;
  /** One port per compute worker, handed on to it. */
  ports: MessagePort[];
  /** Where exits are reported (`FromSupervisor` messages). */
  reportPort: MessagePort;
  words: { signal: number; supervisorState: number; states: number[]; dead: number };
  /** Passed on to the compute workers (`ComputeData.spinMs`). */
  spinMs: number;
}

/**
 * The supervisor thread's code, run with `new Worker(SUPERVISOR_SOURCE, { eval: true })`. It
 * starts the compute workers and reports each one's exit into the control block.
 *
 * Why a thread of its own. While an op runs, the calling thread is blocked in `Atomics.wait`, so
 * it cannot receive a Worker's 'exit' event — and that event is the only signal Node gives for
 * every way a thread can end (`process.exit`, an uncaught error, `terminate()`, running out of
 * heap, a script that fails to load). A worker's own `process.on('exit')` misses the last three;
 * a heartbeat cannot tell a dead worker from one busy in a long kernel; `worker.threadId` only
 * changes once the caller's event loop runs. The supervisor does nothing but wait for events, so
 * it sees every exit within milliseconds and wakes the caller through shared memory.
 *
 * Why source text. Evaluated code has no file to lose and imports nothing but `node:` modules,
 * so the supervisor itself always starts (it uses only `import()`, which works whether Node
 * evaluates it as a CommonJS script or, under `--input-type=module`, as a module): every failure to load the package's files happens in
 * a compute worker, where the supervisor sees and reports it (missing file, missing
 * dependency, syntax error) instead of leaving the caller waiting.
 */
export const SUPERVISOR_SOURCE = String.raw`import('node:worker_threads').then(({ Worker, workerData }) => {
  const { control, entry, ports, reportPort, words, spinMs } = workerData;
  const c = new Int32Array(control);
  const wake = () => {
    Atomics.add(c, words.signal, 1);
    Atomics.notify(c, words.signal);
  };
  const info = (e) =>
    e === undefined
      ? undefined
      : e !== null && typeof e === 'object'
        ? { name: String(e.name ?? 'Error'), message: String(e.message ?? ''), stack: typeof e.stack === 'string' ? e.stack : undefined, code: typeof e.code === 'string' ? e.code : undefined }
        : { name: 'Error', message: String(e) };
  process.on('exit', () => {
    Atomics.store(c, words.supervisorState, words.dead);
    wake();
  });
  ports.forEach((port, slot) => {
    let worker;
    let error;
    const report = (code) => {
      reportPort.postMessage({ type: 'exit', slot, code, error: info(error) });
      Atomics.store(c, words.states[slot], words.dead);
      wake();
    };
    try {
      worker = new Worker(new URL(entry), { workerData: { control, slot, port, spinMs }, transferList: [port] });
    } catch (e) {
      error = e;
      report(-1);
      return;
    }
    worker.on('error', (e) => {
      error = e;
    });
    // Test hook: a worker asks to be terminated from outside (FaultKind 'kill').
    worker.on('message', (m) => {
      if (m !== null && typeof m === 'object' && m.type === 'kill-me') worker.terminate();
    });
    worker.on('exit', report);
  });
});
`;
