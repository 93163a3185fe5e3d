import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setBackend } from '@scratchnet/backend';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { Dense, Dropout, LeakyReLU, ReLU, Sigmoid, Softmax, Tanh } from '@scratchnet/layers';
import { Rng, ScratchnetError, getAllocator, randint, randn, setAllocator, tensor } from '@scratchnet/tensor';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Adam, SGD, Sequential, crc32, memoryHandler, loadModelAndOptimizer as loadFromHandler, modelToArtifacts } from '@scratchnet/model';
import { loadModelAndOptimizer } from '@scratchnet/model/node';

/**
 * Property tests of the model loader: valid saved models, mutated at random — bytes flipped,
 * fields removed or retyped, sizes and shapes changed, files truncated, swapped, or replaced by a
 * directory, a FIFO or a link. Every case must end in a correct model (the weights it holds are
 * the file's bytes) or a typed error (a ScratchnetError) — never a hang, never an untyped error,
 * never tensor allocations beyond what the files declare (4× the weights file: a float32
 * parameter costs its value, its gradient and the initializer's float64 draws while built).
 *
 * CI runs SCRATCHNET_PROPERTY_RUNS (default 200) cases in memory and a fifth of that (at least
 * 20) on the file system; set it higher to search longer. A failure prints fast-check's seed and
 * path; SCRATCHNET_PROPERTY_SEED=<seed> replays that run.
 */
const RUNS = Number(process.env.SCRATCHNET_PROPERTY_RUNS ?? 200);
const FS_RUNS = Math.max(20, Math.ceil(RUNS / 5));
const SEED = process.env.SCRATCHNET_PROPERTY_SEED === undefined ? undefined : Number(process.env.SCRATCHNET_PROPERTY_SEED);
const CASE_TIMEOUT = 5_000;
const params = (runs: number): fc.Parameters<unknown> => ({ numRuns: runs, ...(SEED === undefined ? {} : { seed: SEED }), endOnFailure: true });

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface Base {
  manifest: Json;
  weights: Uint8Array;
}

let bases: Base[];
let root: string;

beforeAll(async () => {
  setBackend(new CpuBackend());
  root = mkdtempSync(join(tmpdir(), 'scratchnet-props-'));
  const rng = new Rng(11);
  const plain = new Sequential([new Dense(3, 5, { rng, activation: 'relu' }), new Dense(5, 2, { rng }), new Softmax()]);
  const trained = new Sequential([
    new Dense(4, 6, { rng, dtype: 'float64' }),
    new LeakyReLU({ alpha: 0.2 }),
    new Dropout({ rate: 0.25, seed: 3 }),
    new Dense(6, 3, { rng, dtype: 'float64', useBias: false }),
    new Tanh(),
    new Dense(3, 2, { rng, dtype: 'float64' }),
    new Sigmoid(),
  ]);
  trained.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'binaryCrossentropy' });
  const targets = tensor(Float64Array.from(randint(0, 2, [16], { rng }).data), { shape: [8, 2] });
  await trained.fit(randn([8, 4], { dtype: 'float64', rng }), targets, { epochs: 1, batchSize: 4 });
  const momentum = new Sequential([new Dense(2, 4, { rng }), new ReLU(), new Dense(4, 3, { rng }), new Softmax()]);
  momentum.compile({ optimizer: new SGD({ learningRate: 0.1, momentum: 0.9 }), loss: 'sparseCategoricalCrossentropy' });
  await momentum.fit(randn([8, 2], { rng }), randint(0, 3, [8], { rng }), { epochs: 1, batchSize: 4 });
  bases = [plain, trained, momentum].map((model) => {
    const artifacts = modelToArtifacts(model, model.optimizer === undefined ? {} : { optimizer: model.optimizer });
    return { manifest: artifacts.manifest as Json, weights: new Uint8Array(artifacts.weights) };
  });
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

// ----- mutations -------------------------------------------------------------------------------

/** Every path to a value inside `value` (the root excluded). */
function paths(value: Json, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  const children: [string | number, Json][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : value !== null && typeof value === 'object' ? Object.entries(value) : [];
  for (const [k, v] of children) {
    out.push([...at, k]);
    paths(v, [...at, k], out);
  }
  return out;
}

function parentOf(root: Json, path: (string | number)[]): { parent: Json[] | Record<string, Json>; key: string | number } {
  let v = root as Record<string | number, Json>;
  for (const k of path.slice(0, -1)) v = v[k] as Record<string | number, Json>;
  return { parent: v as Json[] | Record<string, Json>, key: path[path.length - 1]! };
}

const INTERESTING_NUMBERS = [0, -0, -1, 1, 2, 1.5, 3, 7, 255, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 40, 2 ** 53, 2 ** 53 + 2, 1e6, 1e12, 1e308, -1e6];
const someNumber = fc.oneof(fc.constantFrom(...INTERESTING_NUMBERS), fc.integer({ min: -10, max: 10_000 }), fc.double({ noNaN: false }));
const someValue: fc.Arbitrary<unknown> = fc.oneof(
  someNumber,
  fc.constantFrom(null, true, false, '', 'Dense', 'float64', 'int32', 'crc32', '__proto__', [], {}, [1, 2], { a: 1 }, Number.NaN, Infinity, -Infinity),
  fc.string({ maxLength: 12 }),
  fc.jsonValue({ maxDepth: 2 }),
);

type Edit =
  | { kind: 'remove'; pick: number }
  | { kind: 'retype'; pick: number; value: unknown }
  | { kind: 'number'; pick: number; value: number; consistent: boolean }
  | { kind: 'shape'; pick: number; dims: number[]; consistent: boolean }
  | { kind: 'forbidden'; pick: number };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('retype' as const), pick: fc.nat(), value: someValue }),
  fc.record({ kind: fc.constant('number' as const), pick: fc.nat(), value: someNumber, consistent: fc.boolean() }),
  fc.record({
    kind: fc.constant('shape' as const),
    pick: fc.nat(),
    dims: fc.array(fc.oneof(fc.constantFrom(0, 1, 2, 3, 1e6, 2 ** 31, 2 ** 53), fc.integer({ min: 0, max: 64 })), { maxLength: 4 }),
    consistent: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('forbidden' as const), pick: fc.nat() }),
);

type BytesEdit =
  | { kind: 'flip'; at: number; xor: number }
  | { kind: 'truncate'; keep: number }
  | { kind: 'extend'; extra: Uint8Array };

const bytesEdit: fc.Arbitrary<BytesEdit> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), keep: fc.nat() }),
  fc.record({ kind: fc.constant('extend' as const), extra: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
);

interface Mutation {
  base: number;
  edits: Edit[];
  bytes: BytesEdit[];
  /** Recompute the checksum after editing the bytes, so the checks behind it are reached too. */
  reseal: boolean;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  base: fc.nat({ max: 2 }),
  edits: fc.array(edit, { maxLength: 3 }),
  bytes: fc.array(bytesEdit, { maxLength: 2 }),
  reseal: fc.boolean(),
});

/** Applies `m` to a copy of base `m.base`; returns the (possibly no longer JSON) manifest and bytes. */
function mutate(m: Mutation): { manifest: unknown; weights: Uint8Array } {
  const base = bases[m.base % bases.length]!;
  const manifest = structuredClone(base.manifest);
  for (const e of m.edits) {
    // Shapes and numbers are aimed at the fields that size things; the rest anywhere.
    const all = paths(manifest);
    const pool =
      e.kind === 'shape'
        ? all.filter((p) => p[p.length - 1] === 'shape')
        : e.kind === 'number'
          ? all.filter((p) => typeof get(manifest, p) === 'number')
          : all;
    if (pool.length === 0) continue;
    const path = pool[e.pick % pool.length]!;
    const { parent, key } = parentOf(manifest, path);
    const target = parent as Record<string | number, unknown>;
    switch (e.kind) {
      case 'remove':
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete target[key];
        break;
      case 'retype':
        target[key] = e.value;
        break;
      case 'number':
        target[key] = e.value;
        if (e.consistent) resize(manifest);
        break;
      case 'shape':
        target[key] = e.dims;
        if (e.consistent) resize(manifest);
        break;
      case 'forbidden':
        if (!Array.isArray(parent) && typeof target[key] === 'object' && target[key] !== null) {
          Object.defineProperty(target[key], '__proto__', { value: { polluted: true }, enumerable: true, configurable: true, writable: true });
        }
        break;
    }
  }
  let weights = base.weights.slice();
  for (const b of m.bytes) {
    if (b.kind === 'flip' && weights.length > 0) weights[b.at % weights.length]! ^= b.xor;
    if (b.kind === 'truncate') weights = weights.slice(0, b.keep % (weights.length + 1));
    if (b.kind === 'extend') weights = Uint8Array.from([...weights, ...b.extra]);
  }
  if (m.reseal && isRecord(manifest) && isRecord(manifest.checksum)) {
    manifest.checksum.value = (crc32(weights) >>> 0).toString(16).padStart(8, '0');
    manifest.weightsByteLength = weights.length;
  }
  return { manifest, weights };
}

function get(root: Json, path: (string | number)[]): unknown {
  let v: unknown = root;
  for (const k of path) v = (v as Record<string | number, unknown>)[k];
  return v;
}

function isRecord(v: unknown): v is Record<string, Json> & { checksum: Record<string, Json> } {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Makes byte lengths, offsets and the total agree with the (edited) shapes, where they are numbers. */
function resize(manifest: Json): void {
  if (!isRecord(manifest)) return;
  let offset = 0;
  const specs = [...(Array.isArray(manifest.weights) ? manifest.weights : [])];
  const optimizer = manifest.optimizer;
  if (isRecord(optimizer) && Array.isArray(optimizer.slots)) specs.push(...optimizer.slots);
  for (const spec of specs) {
    if (!isRecord(spec) || !Array.isArray(spec.shape) || !spec.shape.every((d) => typeof d === 'number')) continue;
    const size = (spec.shape as number[]).reduce((p, d) => p * d, 1);
    const length = size * (spec.dtype === 'float64' ? 8 : 4);
    spec.byteOffset = offset;
    spec.byteLength = length;
    offset += length;
  }
  manifest.weightsByteLength = offset;
}

// ----- the property ------------------------------------------------------------------------------

/** Loads with a counting allocator; the outcome is checked against the files. */
async function checkLoad(load: () => Promise<unknown>, weightsBytes: number, what: () => string): Promise<void> {
  const previous = getAllocator();
  let allocated = 0;
  setAllocator({
    allocate(dtype, length) {
      allocated += length * (dtype === 'float64' ? 8 : 4);
      return previous.allocate(dtype, length);
    },
  });
  let outcome: { model: Sequential } | Error;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    outcome = (await Promise.race([
      load(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new HangError(`no answer after ${CASE_TIMEOUT} ms`)), CASE_TIMEOUT);
      }),
    ])) as { model: Sequential };
  } catch (error) {
    outcome = error as Error;
  } finally {
    clearTimeout(timer);
    setAllocator(previous);
  }
  const budget = 4 * weightsBytes + 64 * 1024;
  if (allocated > budget) throw new Error(`${what()}: allocated ${allocated} bytes of tensors for a ${weightsBytes}-byte weights file`);
  tally(outcome instanceof Error ? `${outcome.name}: ${(outcome as { field?: string }).field ?? outcome.message.replace(/^.*?: /, '').slice(0, 40)}` : 'loaded');
  if (outcome instanceof Error) {
    if (!(outcome instanceof ScratchnetError)) {
      throw new Error(`${what()}: untyped ${outcome.name}: ${outcome.message}`, { cause: outcome });
    }
    return;
  }
  // A model came back: it must hold exactly the file's parameters.
  const saved = new Uint8Array(modelToArtifacts(outcome.model).weights);
  const file = await fileBytes();
  if (Buffer.compare(Buffer.from(saved), Buffer.from(file.subarray(0, saved.length))) !== 0) {
    throw new Error(`${what()}: loaded a model whose weights differ from the file's bytes`);
  }
}

class HangError extends Error {}

// SCRATCHNET_PROPERTY_STATS=1 prints how the cases ended, to see what the mutations reach.
const outcomes = new Map<string, number>();
function tally(key: string): void {
  const k = key.replace(/\d+/g, 'N');
  outcomes.set(k, (outcomes.get(k) ?? 0) + 1);
}
afterAll(() => {
  if (process.env.SCRATCHNET_PROPERTY_STATS === undefined) return;
  console.log([...outcomes].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${String(v).padStart(5)}  ${k}`).join('\n'));
});

/** Set by each case: the weights bytes a loaded model must hold. */
let fileBytes: () => Promise<Uint8Array> = async () => new Uint8Array(0);

describe('property: the loader ends every mutated model in a correct model or a typed error', () => {
  it(`in memory: ${RUNS} mutated artifacts`, async () => {
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const { manifest, weights } = mutate(m);
        fileBytes = async () => weights;
        const buffer = weights.slice().buffer;
        await checkLoad(() => loadFromHandler({ load: async () => ({ manifest, weights: buffer }) }), weights.length, () => JSON.stringify(m));
      }),
      params(RUNS),
    );
  }, 120_000);

  it('in memory, through memoryHandler (which copies the manifest as JSON): the unmutated bases load exactly', async () => {
    for (const base of bases) {
      fileBytes = async () => base.weights;
      await checkLoad(() => loadFromHandler(memoryHandler({ manifest: base.manifest, weights: base.weights })), base.weights.length, () => 'base');
      const { model } = await loadFromHandler(memoryHandler({ manifest: base.manifest, weights: base.weights }));
      expect(Buffer.from(new Uint8Array(modelToArtifacts(model).weights))).toEqual(Buffer.from(base.weights.subarray(0, modelToArtifacts(model).weights.byteLength)));
    }
  });

  type Swap = 'none' | 'directory' | 'fifo' | 'link-outside' | 'link-inside' | 'empty' | 'missing' | 'swapped';
  const swaps: Swap[] = ['none', 'directory', 'fifo', 'link-outside', 'link-inside', 'empty', 'missing', 'swapped'];
  const fsCase = fc.record({
    mutation,
    manifestSwap: fc.constantFrom<Swap>(...swaps),
    weightsSwap: fc.constantFrom<Swap>(...swaps),
    /** Bytes of the manifest's text flipped (after the JSON edits). */
    textFlips: fc.array(fc.record({ at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }), { maxLength: 2 }),
  });

  it(`on the file system: ${FS_RUNS} mutated directories, files swapped for directories, FIFOs and links`, async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fsCase, async (c) => {
        const { manifest, weights } = mutate(c.mutation);
        const dir = join(root, `case-${n++}`);
        mkdirSync(dir);
        const text = Buffer.from(`${JSON.stringify(manifest) ?? 'null'}\n`);
        for (const f of c.textFlips) text[f.at % text.length]! ^= f.xor;
        const base = bases[c.mutation.base % bases.length]!;
        const weightsName = typeof (base.manifest as Record<string, Json>).weightsFile === 'string' ? String((base.manifest as Record<string, Json>).weightsFile) : 'weights.bin';
        const named = isRecord(manifest) && typeof manifest.weightsFile === 'string' && /^[\w.-]+$/.test(manifest.weightsFile) ? manifest.weightsFile : weightsName;
        place(dir, 'model.json', text, c.manifestSwap, weights);
        place(dir, named, Buffer.from(weights), c.weightsSwap, text);
        fileBytes = async () => weights;
        await checkLoad(() => loadModelAndOptimizer(dir), weights.length, () => JSON.stringify(c));
        rmSync(dir, { recursive: true, force: true });
      }),
      params(FS_RUNS),
    );
  }, 120_000);

  /** Writes `bytes` as `dir/name`, or what `swap` puts there instead. */
  function place(dir: string, name: string, bytes: Buffer | Uint8Array, swap: Swap, other: Buffer | Uint8Array): void {
    const path = join(dir, name);
    switch (swap) {
      case 'none':
        return writeFileSync(path, bytes);
      case 'directory':
        return mkdirSync(path);
      case 'fifo':
        if (process.platform === 'win32') return mkdirSync(path);
        return void execFileSync('mkfifo', [path]);
      case 'link-outside': {
        const outside = join(root, `outside-${name}-${Math.random().toString(16).slice(2)}`);
        writeFileSync(outside, bytes);
        return symlinkSync(outside, path);
      }
      case 'link-inside':
        writeFileSync(join(dir, `real-${name}`), bytes);
        return symlinkSync(join(dir, `real-${name}`), path);
      case 'empty':
        return writeFileSync(path, '');
      case 'missing':
        return;
      case 'swapped':
        return writeFileSync(path, other);
    }
  }
});
