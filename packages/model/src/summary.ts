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
  const inputShape = options.inputShape ?? model.layers[0]?.inputShape;
  const shapes = inputShape ? model.outputShapes(inputShape) : undefined;
  const names = model.layers.map((layer) => `${layer.name} (${layer.className})`);
  const shapeTexts = model.layers.map((_, i) => (shapes ? formatSymbolicShape(shapes[i]!) : '?'));
  // Name and shape columns left-aligned, parameter counts right-aligned to the rule's width; a
  // column widens (and the rules with it) for a name or shape that would not fit, such as
  // `batch_normalization_1 (BatchNormalization)`, rather than running into the next column.
  const requested = options.lineLength ?? 65;
  const countWidth = requested - Math.floor(requested * 0.45) - Math.floor(requested * 0.3);
  const nameWidth = Math.max(Math.floor(requested * 0.45), ...names.map((n) => n.length + 1));
  const shapeWidth = Math.max(Math.floor(requested * 0.3), ...shapeTexts.map((t) => t.length + 1));
  const width = nameWidth + shapeWidth + countWidth;
  const row = (cells: [string, string, string]): string =>
    `${cells[0].padEnd(nameWidth - 1)} ${cells[1].padEnd(shapeWidth - 1)} ${cells[2].padStart(countWidth)}`;
  const lines = [`Model: "${model.name}"`, '_'.repeat(width), row(['Layer (type)', 'Output Shape', 'Param #']), '='.repeat(width)];
  // Elements and bytes of the trainable parameters [0] and of the others [1].
  const counts = [0, 0];
  const bytes = [0, 0];
  model.layers.forEach((layer, i) => {
    const count = layer.countParams();
    for (const p of layer.allParams()) {
      const kind = p.trainable ? 0 : 1;
      counts[kind]! += p.value.size;
      bytes[kind]! += p.value.size * bytesPerElement(p.value.dtype);
    }
    lines.push(row([names[i]!, shapeTexts[i]!, count.toLocaleString('en-US')]));
    lines.push(i === model.layers.length - 1 ? '='.repeat(width) : '_'.repeat(width));
  });
  if (model.layers.length === 0) lines.push('='.repeat(width));
  const line = (what: string, n: number, b: number) => `${what}: ${n.toLocaleString('en-US')} (${formatBytes(b)})`;
  lines.push(line('Total params', counts[0]! + counts[1]!, bytes[0]! + bytes[1]!));
  lines.push(line('Trainable params', counts[0]!, bytes[0]!));
  lines.push(line('Non-trainable params', counts[1]!, bytes[1]!));
  lines.push('_'.repeat(width));
  return lines.join('\n');
}
