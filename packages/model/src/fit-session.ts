/**
 * One running `fit`. Between batches it yields to the event loop, so other code can call the
 * model mid-training; `callbackDepth` tells the model whether that call comes from one of the
 * fit's own callbacks (reading the model at an epoch's end is what they are for) or from code
 * that did not await the fit (which would see weights half-way through training without knowing).
 */
export class FitSession {
  /** Callbacks of this fit running now (nested awaits count each). */
  callbackDepth = 0;

  /** Runs `hook` as a callback of this fit. */
  async inCallback<T>(hook: () => Promise<T>): Promise<T> {
    this.callbackDepth++;
    try {
      return await hook();
    } finally {
      this.callbackDepth--;
    }
  }
}
