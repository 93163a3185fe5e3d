import { describe, expect, it } from 'vitest';
import { confusionMatrix, formatConfusionMatrix } from '../src/report/confusion-matrix.js';
import { formatHistory } from '../src/report/history-table.js';
import { formatTable } from '../src/report/table.js';

describe('confusionMatrix', () => {
  it('counts (true, predicted) pairs with true classes as rows', () => {
    expect(confusionMatrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2], 3)).toEqual([
      [1, 1, 0],
      [0, 1, 0],
      [1, 0, 2],
    ]);
  });

  it('rejects mismatched lengths and classes out of range', () => {
    expect(() => confusionMatrix([0, 1], [0], 2)).toThrow(/2 true labels but 1 predictions/);
    expect(() => confusionMatrix([0, 3], [0, 1], 3)).toThrow(/sample 1 has true class 3 and prediction 1; both must be in 0..2/);
  });

  it('formats aligned columns: header, rule, one row per true class with its recall', () => {
    const text = formatConfusionMatrix([
      [1234, 1],
      [0, 7],
    ]);
    expect(text.split('\n')).toEqual([
      'true \\ pred     0  1  recall',
      '-----------  ----  -  ------',
      '          0  1234  1   0.999',
      '          1     0  7   1.000',
    ]);
  });
});

describe('formatHistory', () => {
  it('prints one row per epoch and a column per logged quantity, with labels', () => {
    const text = formatHistory({ loss: [0.51234, 0.2], val_loss: [0.4, 0.3] }, { val_loss: 'test loss' });
    expect(text.split('\n')).toEqual(['epoch    loss  test loss', '-----  ------  ---------', '    1  0.5123     0.4000', '    2  0.2000     0.3000']);
  });
});

describe('formatTable', () => {
  it('aligns left or right per column and trims trailing space', () => {
    expect(formatTable([['a', '1'], ['bbb', '22']], { align: ['left', 'right'] })).toBe('a     1\nbbb  22');
  });
});
