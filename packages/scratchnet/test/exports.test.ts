import * as backend from '@scratchnet/backend';
import * as cpu from '@scratchnet/backend-cpu';
import * as worker from '@scratchnet/backend-worker';
import * as layers from '@scratchnet/layers';
import * as model from '@scratchnet/model';
import * as modelNode from '@scratchnet/model/node';
import * as tensor from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import * as scratchnet from '../src/index.js';
import * as scratchnetNode from '../src/node.js';

type Module = Record<string, unknown>;

/** Names whose value in `entry` is not `pkg`'s, or missing. */
function notReexported(entry: Module, pkg: Module, except: string[] = []): string[] {
  return Object.keys(pkg).filter((name) => !except.includes(name) && entry[name] !== pkg[name]);
}

// The file-system versions (they also take a directory) replace the handler-only ones.
const FILE_SYSTEM = ['saveModel', 'loadModel', 'loadModelAndOptimizer'];

/** Values two packages export under one name, and the package whose value src/index.ts picks. */
const CHOSEN: Record<string, Module> = { softmaxCrossentropy: layers as Module };

/** Names of `pkg` that scratchnet takes from another package instead. */
function chosenElsewhere(pkg: Module): string[] {
  return Object.entries(CHOSEN)
    .filter(([name, owner]) => owner !== pkg && name in pkg)
    .map(([name]) => name);
}

describe('scratchnet re-exports the packages under it', () => {
  it.each([
    ['@scratchnet/tensor', tensor],
    ['@scratchnet/backend', backend],
    ['@scratchnet/layers', layers],
    ['@scratchnet/model', model],
  ] as const)('every value %s exports, the same object', (_name, pkg) => {
    expect(Object.keys(pkg).length).toBeGreaterThan(5);
    expect(notReexported(scratchnet as Module, pkg as Module, chosenElsewhere(pkg as Module))).toEqual([]);
  });

  it('a name two packages export comes from the package src/index.ts names', () => {
    for (const [name, owner] of Object.entries(CHOSEN)) expect((scratchnet as Module)[name], name).toBe(owner[name]);
  });

  it('CpuBackend from @scratchnet/backend-cpu, and not its kernel internals', () => {
    expect(scratchnet.CpuBackend).toBe(cpu.CpuBackend);
    expect('runKernel' in scratchnet).toBe(false);
  });

  it('nothing of its own beyond them', () => {
    const underneath = new Set([tensor, backend, layers, model].flatMap((pkg) => Object.keys(pkg)).concat('CpuBackend'));
    expect(Object.keys(scratchnet).filter((name) => !underneath.has(name))).toEqual([]);
  });
});

describe('scratchnet/node', () => {
  it('exports everything scratchnet does, the file-system save/load in place of the handler-only ones', () => {
    expect(notReexported(scratchnetNode as Module, scratchnet as Module, FILE_SYSTEM)).toEqual([]);
    for (const name of FILE_SYSTEM) expect(scratchnetNode[name as keyof typeof scratchnetNode], name).toBe(modelNode[name as keyof typeof modelNode]);
  });

  it('adds the worker backend and everything of @scratchnet/model/node', () => {
    expect(notReexported(scratchnetNode as Module, worker as Module)).toEqual([]);
    expect(notReexported(scratchnetNode as Module, modelNode as Module)).toEqual([]);
    expect(scratchnetNode.WorkerBackend).toBe(worker.WorkerBackend);
  });
});
