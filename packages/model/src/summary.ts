import { formatSymbolicShape, type Layer, type SymbolicShape } from '@scratchnet/layers';
import { bytesPerElement } from '@scratchnet/tensor';
import type { Sequential } from './sequential.js';

/** Input shape `[null, n]` from the first layer that knows its input size. */
function inferInputShape(layers: readonly Layer[]): SymbolicShape | undefined {
  const first = layers[0] as (Layer & { inputSize?: number }) | undefined;
  return first?.inputSize !== undefined ? [null, first.inputSize] : undefined;
}

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
  const inputShape = options.inputShape ?? inferInputShape(model.layers);
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
