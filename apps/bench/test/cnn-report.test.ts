import { describe, expect, it } from 'vitest';
import { formatCnnReport } from '../src/cnn-report.js';

describe('CNN report', () => {
  it('prints training samples/s and inference speed with ratios to tfjs-wasm and scratchnet cpu (higher is faster)', () => {
    const text = formatCnnReport(
      [
        { name: 'scratchnet cpu', value: { samples: 512, samplesPerSecond: 200, msPerBatch: 320, msPer1000: 1000, digitsPerSecond: 1000 } },
        { name: 'tfjs-cpu', value: { samples: 64, samplesPerSecond: 2, msPerBatch: 32000, msPer1000: 125000, digitsPerSecond: 8 } },
        { name: 'tfjs-wasm', value: { samples: 512, samplesPerSecond: 100, msPerBatch: 640, msPer1000: 500, digitsPerSecond: 2000 } },
        { name: 'scratchnet worker (2 threads)', error: 'Error: no threads' },
      ],
      'note',
    );
    expect(text.split('\n')).toEqual([
      'CNN training and inference, note',
      '                               digits  train samples/s  ms/batch  × tfjs-wasm  × scratchnet cpu  infer ms/1000  digits/s  × tfjs-wasm  × scratchnet cpu',
      '-----------------------------  ------  ---------------  --------  -----------  ----------------  -------------  --------  -----------  ----------------',
      'scratchnet cpu                    512              200     320.0        2.00×             1.00×         1000.0      1000        0.50×             1.00×',
      'tfjs-cpu                           64                2   32000.0        0.02×             0.01×       125000.0         8        0.00×             0.01×',
      'tfjs-wasm                         512              100     640.0        1.00×             0.50×          500.0      2000        1.00×             2.00×',
      'scratchnet worker (2 threads)       —                —         —            —                 —              —         —            —                 —',
      'scratchnet worker (2 threads) failed: Error: no threads',
    ]);
  });
});
