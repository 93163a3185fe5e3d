/**
 * What `fit` returns, as Keras's `History`: the epochs run (`epoch`, counting from 0) and, per
 * reported quantity (`loss`, `accuracy`, `val_loss`, …), its value at the end of each epoch.
 */
export class History {
  readonly epoch: number[] = [];
  readonly history: Record<string, number[]> = {};

  /** Appends the end-of-epoch logs. */
  record(epoch: number, logs: Readonly<Record<string, number>>): void {
    this.epoch.push(epoch);
    for (const [key, value] of Object.entries(logs)) (this.history[key] ??= []).push(value);
  }
}
