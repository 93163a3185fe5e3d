import type { MetricName } from './metrics/metric-registry.js';

/**
 * Per-epoch values by name: `loss` always; the built-in metrics and their `val_` forms typed by
 * name (present when compiled and, for `val_`, validated); any registered metric by its own name.
 */
export type HistoryRecord = { loss: number[] } & { [K in MetricName | `val_${MetricName}`]?: number[] } & { [name: string]: number[] };

/**
 * What `fit` returns, as Keras's `History`: the epochs run (`epoch`, counting from 0) and, per
 * reported quantity (`loss`, `accuracy`, `val_loss`, …), its value at the end of each epoch.
 */
export class History {
  readonly epoch: number[] = [];
  readonly history: HistoryRecord = { loss: [] };

  /** Appends the end-of-epoch logs. */
  record(epoch: number, logs: Readonly<Record<string, number>>): void {
    this.epoch.push(epoch);
    const history = this.history as Record<string, number[]>;
    for (const [key, value] of Object.entries(logs)) (history[key] ??= []).push(value);
  }
}
