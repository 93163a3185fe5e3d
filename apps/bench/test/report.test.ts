import { describe, expect, it } from 'vitest';
import { CORE_WAIT_NOTE, formatInferenceReport, formatMatmulReport, formatTrainReport } from '../src/report.js';

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
      'tfjs-wasm failed: Error: no wasm',
      '',
      'matmul, float32, ratio to tfjs-cpu',
      '                 128³  128×784×128',
      '--------------  -----  -----------',
      'scratchnet cpu  8.00×        5.00×',
      'tfjs-cpu        1.00×        1.00×',
      'tfjs-wasm           —            —',
      '',
      'matmul, float32, ratio to scratchnet cpu',
      '                 128³  128×784×128',
      '--------------  -----  -----------',
      'scratchnet cpu  1.00×        1.00×',
      'tfjs-cpu        0.13×        0.20×',
      'tfjs-wasm           —            —',
    ]);
  });

  it('float64: rows skipped for one reason share a line under the table; ratios only to the baselines measured', () => {
    const why = 'tfjs has no float64 dtype';
    const text = formatMatmulReport(
      shapes,
      [
        { name: 'scratchnet cpu', value: [2, 4] },
        { name: 'scratchnet wasm (1 thread)', value: [8, 10] },
        { name: 'tfjs-cpu', skipped: why },
        { name: 'tfjs-wasm', skipped: why },
      ],
      'note',
      'float64',
    );
    expect(text.split('\n')).toEqual([
      'matmul, float64, GFLOP/s (note)',
      '                            128³  128×784×128',
      '--------------------------  ----  -----------',
      'scratchnet cpu              2.00         4.00',
      'scratchnet wasm (1 thread)  8.00        10.00',
      'tfjs-cpu                       —            —',
      'tfjs-wasm                      —            —',
      'tfjs-cpu, tfjs-wasm: — because tfjs has no float64 dtype',
      '',
      'matmul, float64, ratio to scratchnet cpu',
      '                             128³  128×784×128',
      '--------------------------  -----  -----------',
      'scratchnet cpu              1.00×        1.00×',
      'scratchnet wasm (1 thread)  4.00×        2.50×',
      'tfjs-cpu                        —            —',
      'tfjs-wasm                       —            —',
    ]);
  });

  it('prints samples/s, ms per batch and both ratios for training', () => {
    const text = formatTrainReport(
      [
        { name: 'scratchnet cpu', value: { samplesPerSecond: 4000, msPerBatch: 32, inference: { digits: 1756, ms: 100 } } },
        { name: 'tfjs-cpu', value: { samplesPerSecond: 800, msPerBatch: 160, inference: { digits: 1756, ms: 800 } } },
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

  it("adds how long each contender's threads waited for a core, as a share of the counted epoch, when it was measured", () => {
    const text = formatTrainReport(
      [
        { name: 'scratchnet cpu', value: { samplesPerSecond: 9000, msPerBatch: 14.2, inference: { digits: 1756, ms: 100 }, coreWait: { runMs: 850, waitMs: 8.5, epochMs: 853 } } },
        { name: 'scratchnet worker (2 threads)', value: { samplesPerSecond: 12000, msPerBatch: 10.7, inference: { digits: 1756, ms: 80 }, coreWait: { runMs: 1100, waitMs: 320, epochMs: 640 } } },
        { name: 'tfjs-cpu', value: { samplesPerSecond: 800, msPerBatch: 160, inference: { digits: 1756, ms: 800 } } },
      ],
      'note',
    );
    const lines = text.split('\n');
    expect(lines.slice(0, 6)).toEqual([
      'MLP training, note',
      '                               samples/s  ms/batch  × tfjs-cpu  × scratchnet cpu  waited for a core',
      '-----------------------------  ---------  --------  ----------  ----------------  -----------------',
      'scratchnet cpu                      9000      14.2      11.25×             1.00×                 1%',
      'scratchnet worker (2 threads)      12000      10.7      15.00×             1.33×                50%',
      'tfjs-cpu                             800     160.0       1.00×             0.09×                  —',
    ]);
    expect(lines[6]).toBe(CORE_WAIT_NOTE);
  });

  it('prints inference ms for all test digits, digits/s, and speed ratios to tfjs-wasm and scratchnet cpu (a baseline time ÷ this time)', () => {
    const text = formatInferenceReport(
      [
        { name: 'scratchnet cpu', value: { samplesPerSecond: 4000, msPerBatch: 32, inference: { digits: 1756, ms: 175.6 } } },
        { name: 'scratchnet wasm (2 threads)', value: { samplesPerSecond: 9000, msPerBatch: 14, inference: { digits: 1756, ms: 43.9 } } },
        { name: 'tfjs-wasm', value: { samplesPerSecond: 7000, msPerBatch: 18, inference: { digits: 1756, ms: 87.8 } } },
        { name: 'tfjs-cpu', error: 'Error: gone' },
      ],
      'note',
    );
    expect(text.split('\n')).toEqual([
      'MLP inference, note',
      '                             ms (1756 digits)  digits/s  × tfjs-wasm  × scratchnet cpu',
      '---------------------------  ----------------  --------  -----------  ----------------',
      'scratchnet cpu                          175.6     10000        0.50×             1.00×',
      'scratchnet wasm (2 threads)              43.9     40000        2.00×             4.00×',
      'tfjs-wasm                                87.8     20000        1.00×             2.00×',
      'tfjs-cpu                                    —         —            —                 —',
      'tfjs-cpu failed: Error: gone',
    ]);
  });
});
