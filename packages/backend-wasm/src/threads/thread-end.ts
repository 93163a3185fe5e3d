/**
 * Thrown by a browser worker that has called `self.close()`: close() lets the current task run
 * on, so the thread's code must unwind to its event loop to end. The job loop lets it through,
 * and the worker's entry catches it, so that no error event follows.
 */
export class ThreadEnd extends Error {
  constructor(readonly code: number) {
    super(`scratchnet wasm thread ended with code ${code}`);
    this.name = 'ThreadEnd';
  }
}
