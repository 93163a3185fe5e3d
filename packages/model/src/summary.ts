import { formatSymbolicShape, type SymbolicShape } from '@scratchnet/layers';
import { bytesPerElement } from '@scratchnet/tensor';
import type { Sequential } from './sequential.js';

function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(2)} ${units[unit]}`;
}

/**
 * The Keras-style table of `Sequential.summary`. Output shapes need the model's input shape: the
 * one given, else the one its first layer was built for (by an `inputSize`, `build` or a
 * previous `fit`/`predict`); without either they print as `?`.
 */
export function formatSummary(
  model: Sequential,
  options: { inputShape?: SymbolicShape; lineLength?: number } = {},
): string {
  const width = options.lineLength ?? 65;
  // Name and shape columns left-aligned, parameter counts right-aligned to the rule's width.
  const nameWidth = Math.floor(width * 0.45);
  const shapeWidth = Math.floor(width * 0.3);
  const row = (cells: [string, string, string]): string =>
    `${cells[0].padEnd(nameWidth - 1)} ${cells[1].padEnd(shapeWidth - 1)} ${cells[2].padStart(width - nameWidth - shapeWidth)}`;
  const inputShape = options.inputShape ?? model.layers[0]?.inputShape;
  const shapes = inputShape ? model.outputShapes(inputShape) : undefined;
  const lines = [`Model: "${model.name}"`, '_'.repeat(width), row(['Layer (type)', 'Output Shape', 'Param #']), '='.repeat(width)];
  let total = 0;
  let bytes = 0;
  model.layers.forEach((layer, i) => {
    const count = layer.countParams();
    total += count;
    for (const p of layer.params()) bytes += p.value.size * bytesPerElement(p.value.dtype);
    const shape = shapes ? formatSymbolicShape(shapes[i]!) : '?';
    lines.push(row([`${layer.name} (${layer.className})`, shape, count.toLocaleString('en-US')]));
    lines.push(i === model.layers.length - 1 ? '='.repeat(width) : '_'.repeat(width));
  });
  if (model.layers.length === 0) lines.push('='.repeat(width));
  lines.push(`Total params: ${total.toLocaleString('en-US')} (${formatBytes(bytes)})`);
  lines.push(`Trainable params: ${total.toLocaleString('en-US')} (${formatBytes(bytes)})`);
  lines.push('Non-trainable params: 0 (0.00 B)');
  lines.push('_'.repeat(width));
  return lines.join('\n');
}
