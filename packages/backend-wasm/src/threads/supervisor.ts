/** What the supervisor is started with: everything the workers need, and the words it writes. */
export interface SupervisorData {
  /** URL of the worker script (dist/thread-entry.js). */
  entry: string;
  /** workerData for each worker (its `port` is transferred to it). */
  workers: unknown[];
  /** Where exits are reported (FromSupervisor messages). */
  reportPort: unknown;
  memory: WebAssembly.Memory;
  /** Byte address of the control block and the word numbers the supervisor writes. */
  control: number;
  controlWords: number;
  words: { signal: number; supervisorState: number; states: number[]; dead: number };
}

/**
 * The supervisor thread's code, run with `new Worker(SUPERVISOR_SOURCE, { eval: true })`. It
 * starts the workers and reports each one's exit into the control block.
 *
 * Why a thread of its own. While an op runs, the calling thread is blocked in `Atomics.wait`, so
 * it cannot receive a Worker's 'exit' event — the only signal Node gives for every way a thread
 * can end (`process.exit`, an uncaught error, `terminate()`, running out of heap, a script that
 * fails to load). The supervisor does nothing but wait for events, so it sees every exit within
 * milliseconds and wakes the caller through the shared memory. Evaluated source has no file to
 * lose and imports only `node:` modules, so the supervisor itself always starts; every failure
 * to load the package's files happens in a worker, where the supervisor sees and reports it.
 * (The same design as @scratchnet/backend-worker's pool.)
 */
export const SUPERVISOR_SOURCE = String.raw`import('node:worker_threads').then(({ Worker, workerData }) => {
  const { entry, workers, reportPort, memory, control, controlWords, words } = workerData;
  const c = new Int32Array(memory.buffer, control, controlWords);
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
  workers.forEach((data, slot) => {
    let worker;
    let error;
    const report = (code) => {
      reportPort.postMessage({ type: 'exit', slot, code, error: info(error) });
      Atomics.store(c, words.states[slot], words.dead);
      wake();
    };
    try {
      worker = new Worker(new URL(entry), { workerData: data, transferList: [data.port] });
    } catch (e) {
      error = e;
      report(-1);
      return;
    }
    worker.on('error', (e) => {
      error = e;
    });
    // Test hook: a worker asks to be terminated from outside (fault 'kill').
    worker.on('message', (m) => {
      if (m !== null && typeof m === 'object' && m.type === 'kill-me') worker.terminate();
    });
    worker.on('exit', report);
  });
});
`;
