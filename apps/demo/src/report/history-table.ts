import { formatTable } from './table.js';

/**
 * The per-epoch history as a table: one row per epoch, one column per logged quantity, in the
 * order the history lists them (`loss`, `accuracy`, `val_loss`, …).
 */
export function formatHistory(history: Readonly<Record<string, readonly number[]>>, labels: Readonly<Record<string, string>> = {}): string {
  const keys = Object.keys(history);
  const epochs = Math.max(0, ...keys.map((k) => history[k]!.length));
  const rows = Array.from({ length: epochs }, (_, e) => [String(e + 1), ...keys.map((k) => formatValue(history[k]![e]))]);
  return formatTable(rows, { header: ['epoch', ...keys.map((k) => labels[k] ?? k)] });
}

function formatValue(v: number | undefined): string {
  if (v === undefined) return '';
  return Number.isFinite(v) ? v.toFixed(4) : String(v);
}
