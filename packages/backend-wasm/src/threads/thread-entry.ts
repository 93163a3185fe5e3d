import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { WorkerData } from './messages.js';
import { serveJobs } from './worker-loop.js';

// The script each worker thread starts from (built to dist/thread-entry.js). Node only; a Web
// Worker host would call serveJobs the same way.
const data = workerData as WorkerData;
const port = data.port as MessagePort;
serveJobs(data, {
  post: (message) => port.postMessage(message),
  exit: (code) => process.exit(code),
  killMe: () => {
    // Die without running any code of ours on the way out, as after terminate() or running out
    // of heap: only the supervisor can tell.
    process.removeAllListeners('exit');
    parentPort?.postMessage({ type: 'kill-me' });
    for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  },
  vanish: () => {
    // Exits without last words: only the supervisor's exit event tells.
    process.removeAllListeners('exit');
    process.exit(72);
  },
  onExit: (fn) => process.on('exit', fn),
});
