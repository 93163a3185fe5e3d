import { describe, expect, it } from 'vitest';
import { broadcastShapes, broadcastsTo, ShapeError } from '@scratchnet/tensor';

describe('broadcastShapes follows NumPy’s rule', () => {
  const cases: [number[], number[], number[]][] = [
    [[4, 3], [3], [4, 3]],
    [[3], [4, 3], [4, 3]],
    [[4, 1], [1, 5], [4, 5]],
    [[], [2, 3], [2, 3]],
    [[2, 3], [], [2, 3]],
    [[2, 1, 3], [4, 1], [2, 4, 3]],
    [[8, 1, 6, 1], [7, 1, 5], [8, 7, 6, 5]],
    [[0, 3], [1, 3], [0, 3]],
    [[0], [1], [0]],
    [[1], [1], [1]],
    [[5, 4], [5, 4], [5, 4]],
  ];
  for (const [a, b, out] of cases) {
    it(`[${a}] with [${b}] -> [${out}]`, () => {
      expect(broadcastShapes('add', a, b)).toEqual(out);
      expect(broadcastShapes('add', b, a)).toEqual(out);
    });
  }

  it('names the op, both shapes and the clashing dimension', () => {
    expect(() => broadcastShapes('add', [4, 3], [8, 3])).toThrow(
      new ShapeError('add: shapes [4,3] and [8,3] do not broadcast: dimension -2 is 4 vs 8'),
    );
    expect(() => broadcastShapes('mul', [2, 3], [4])).toThrow(
      new ShapeError('mul: shapes [2,3] and [4] do not broadcast: dimension -1 is 3 vs 4'),
    );
    expect(() => broadcastShapes('sub', [0], [2])).toThrow(ShapeError);
  });
});

describe('broadcastsTo', () => {
  const yes: [number[], number[]][] = [
    [[3], [4, 3]],
    [[1, 3], [4, 3]],
    [[4, 1], [4, 3]],
    [[], [2]],
    [[4, 3], [4, 3]],
    [[1], [0]],
    [[0], [0]],
    [[1, 1], [2, 3, 4]],
  ];
  const no: [number[], number[]][] = [
    [[4, 3], [3]],
    [[2], [4, 3]],
    [[4, 3], [4, 1]],
    [[2], []],
    [[0], [2]],
  ];
  for (const [from, to] of yes) it(`[${from}] broadcasts to [${to}]`, () => expect(broadcastsTo(from, to)).toBe(true));
  for (const [from, to] of no) it(`[${from}] does not broadcast to [${to}]`, () => expect(broadcastsTo(from, to)).toBe(false));

  it('agrees with broadcastShapes: from broadcasts to to exactly when the result is to', () => {
    const shapes = [[], [1], [3], [4, 1], [1, 3], [4, 3], [2, 4, 3], [2, 1, 1]];
    for (const a of shapes) {
      for (const b of shapes) {
        let result: number[] | undefined;
        try {
          result = broadcastShapes('x', a, b);
        } catch {
          result = undefined;
        }
        const expected = result !== undefined && result.length === b.length && result.every((d, i) => d === b[i]);
        expect(broadcastsTo(a, b), `[${a}] -> [${b}]`).toBe(expected);
      }
    }
  });
});
