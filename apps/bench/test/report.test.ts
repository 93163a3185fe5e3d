import { describe, expect, it } from 'vitest';
import { formatMatmulReport, formatTrainReport } from '../src/report.js';

const shapes = [
  { label: '128³', m: 128, k: 128, n: 128 },
  { label: '128×784×128', m: 128, k: 784, n: 128 },
];

describe('bench report', () => {
  it('prints GFLOP/s and ratios to tfjs-cpu and to scratchnet cpu, shape by shape', () => {
    const text = formatMatmulReport(
      shapes,
      [
        { name: 'scratchnet cpu', value: [4, 5] },
        { name: 'tfjs-cpu', value: [0.5, 1] },
        { name: 'tfjs-wasm', error: 'Error: no wasm' },
      ],
      'note',
    );
    expect(text.split('\n')).toEqual([
      'matmul, float32, GFLOP/s (note)',
      '                128³  128×784×128',
      '--------------  ----  -----------',
      'scratchnet cpu  4.00         5.00',
      'tfjs-cpu        0.50         1.00',
      'tfjs-wasm          —            —',
      '',
      'matmul, ratio to tfjs-cpu',
      '                 128³  128×784×128',
      '--------------  -----  -----------',
      'scratchnet cpu  8.00×        5.00×',
      'tfjs-cpu        1.00×        1.00×',
      'tfjs-wasm           —            —',
      '',
      'matmul, ratio to scratchnet cpu',
      '                 128³  128×784×128',
      '--------------  -----  -----------',
      'scratchnet cpu  1.00×        1.00×',
      'tfjs-cpu        0.13×        0.20×',
      'tfjs-wasm           —            —',
      'tfjs-wasm failed: Error: no wasm',
    ]);
  });

  it('prints samples/s, ms per batch and both ratios for training', () => {
    const text = formatTrainReport(
      [
        { name: 'scratchnet cpu', value: { samplesPerSecond: 4000, msPerBatch: 32 } },
        { name: 'tfjs-cpu', value: { samplesPerSecond: 800, msPerBatch: 160 } },
      ],
      'note',
    );
    expect(text.split('\n')).toEqual([
      'MLP training, note',
      '                samples/s  ms/batch  × tfjs-cpu  × scratchnet cpu',
      '--------------  ---------  --------  ----------  ----------------',
      'scratchnet cpu       4000      32.0       5.00×             1.00×',
      'tfjs-cpu              800     160.0       1.00×             0.20×',
    ]);
  });
});
