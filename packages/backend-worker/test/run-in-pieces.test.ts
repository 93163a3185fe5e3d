import type { KernelTask } from '@scratchnet/backend-cpu';
import { describe, expect, it } from 'vitest';
import { PIECE_WORK, runInPieces } from '../src/run-in-pieces.js';

/** A task whose units each cost `cost`; only grain and cost matter to the piecing. */
function task(cost: number, grain: number): KernelTask {
  return { kernel: 'fill', args: { out: new Float32Array(0), value: 0 }, units: 0, grain, cost };
}

describe('runInPieces', () => {
  it('runs a long range in grain-aligned pieces of about PIECE_WORK, in order, covering it once', () => {
    const calls: Array<[number, number]> = [];
    const t = task(PIECE_WORK / 10, 4);
    expect(runInPieces((_, s, e) => calls.push([s, e]), t, 8, 95, () => false)).toBe(true);
    expect(calls).toEqual([
      [8, 16],
      [16, 24],
      [24, 32],
      [32, 40],
      [40, 48],
      [48, 56],
      [56, 64],
      [64, 72],
      [72, 80],
      [80, 88],
      [88, 95],
    ]);
  });

  it('runs a short range in one call without asking to stop', () => {
    const calls: Array<[number, number]> = [];
    let asked = 0;
    expect(runInPieces((_, s, e) => calls.push([s, e]), task(1, 1), 0, 1000, () => ++asked > 0)).toBe(true);
    expect(calls).toEqual([[0, 1000]]);
    expect(asked).toBe(0);
  });

  it('stops between pieces once stop() says so, and reports it', () => {
    const calls: Array<[number, number]> = [];
    let asked = 0;
    const stopped = !runInPieces((_, s, e) => calls.push([s, e]), task(PIECE_WORK, 1), 0, 10, () => ++asked === 3);
    expect(stopped).toBe(true);
    expect(calls).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
  });

  it('never makes a piece smaller than the grain, even when one unit is more work than a piece', () => {
    const calls: Array<[number, number]> = [];
    runInPieces((_, s, e) => calls.push([s, e]), task(PIECE_WORK * 3, 4), 0, 10, () => false);
    expect(calls).toEqual([
      [0, 4],
      [4, 8],
      [8, 10],
    ]);
  });
});
