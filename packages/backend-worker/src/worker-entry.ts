import { workerData } from 'node:worker_threads';
import { serveKernels, type ComputeData } from './compute-worker.js';

// The script each compute worker starts from (built to dist/worker-entry.js, self-contained but
// for the cpu backend it loads).
await serveKernels(workerData as ComputeData);
