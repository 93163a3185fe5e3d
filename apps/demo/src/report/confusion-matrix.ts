import { ValueError } from '@scratchnet/tensor';
import { formatTable } from './table.js';

/**
 * Counts of (true class, predicted class) pairs: `matrix[t][p]` is how many samples of class
 * `t` were predicted as `p`. The diagonal holds the correct predictions.
 */
export function confusionMatrix(trueLabels: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): number[][] {
  if (trueLabels.length !== predicted.length) {
    throw new ValueError(`confusionMatrix: ${trueLabels.length} true labels but ${predicted.length} predictions`);
  }
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < trueLabels.length; i++) {
    const t = trueLabels[i]!;
    const p = predicted[i]!;
    if (!(t >= 0 && t < classes && p >= 0 && p < classes)) {
      throw new ValueError(`confusionMatrix: sample ${i} has true class ${t} and prediction ${p}; both must be in 0..${classes - 1}`);
    }
    matrix[t]![p]!++;
  }
  return matrix;
}

/** The matrix as a table: rows true digit, columns predicted digit, plus each row's recall. */
export function formatConfusionMatrix(matrix: readonly (readonly number[])[]): string {
  const classes = matrix.length;
  const header = ['true \\ pred', ...Array.from({ length: classes }, (_, c) => String(c)), 'recall'];
  const rows = matrix.map((row, t) => {
    const total = row.reduce((a, b) => a + b, 0);
    return [String(t), ...row.map(String), total === 0 ? '-' : (row[t]! / total).toFixed(3)];
  });
  return formatTable(rows, { header });
}
