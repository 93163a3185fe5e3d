import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { setBackend } from '@scratchnet/backend';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { Dense, ReLU, Softmax } from '@scratchnet/layers';
import { Rng, randn, type Tensor } from '@scratchnet/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelFormatError, ModelIOError, Sequential, modelToArtifacts, validateManifest } from '@scratchnet/model';
import { fileSystemHandler, loadModel, saveModel, type FileHandleLike, type FileSystemLike } from '@scratchnet/model/node';

let root: string;
beforeAll(() => {
  setBackend(new CpuBackend());
  root = mkdtempSync(join(tmpdir(), 'scratchnet-io-'));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

let dirCount = 0;
function freshDir(): string {
  return join(root, `case-${dirCount++}`);
}

function net(seed: number): Sequential {
  const rng = new Rng(seed);
  return new Sequential([new Dense(4, 6, { rng, activation: 'tanh' }), new ReLU(), new Dense(6, 3, { rng }), new Softmax()]);
}

const x = randn([5, 4], { rng: new Rng(99) });
function bits(t: Tensor): string {
  return Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString('hex');
}
const WEIGHTS = /^weights\.[0-9a-f]{16}\.bin$/;

interface Step {
  op: string;
  file: string;
}

/**
 * `node:fs/promises` with every call numbered as a step; `fail(index)` decides which steps throw
 * (EIO). A failing write first writes half its bytes (a short write, as a full disk does); a
 * failing close still releases the descriptor.
 */
function faultyFs(fail: (index: number) => boolean, log: Step[] = []): FileSystemLike {
  let count = 0;
  const step = (op: string, path: string): void => {
    const index = count++;
    log.push({ op, file: basename(path) });
    if (fail(index)) throw Object.assign(new Error(`injected failure at step ${index} (${op} ${basename(path)})`), { code: 'EIO' });
  };
  return {
    async open(path, flags) {
      step(`open(${flags})`, path);
      const handle = await fsp.open(path, flags);
      const wrapped: FileHandleLike = {
        async write(buffer, offset, length, position) {
          try {
            step('write', path);
          } catch (error) {
            await handle.write(buffer, offset, length >> 1, position);
            throw error;
          }
          return handle.write(buffer, offset, length, position);
        },
        read: (buffer, offset, length, position) => handle.read(buffer, offset, length, position),
        stat: () => handle.stat(),
        async sync() {
          step('sync', path);
          await handle.sync();
        },
        async close() {
          try {
            step('close', path);
          } catch (error) {
            await handle.close();
            throw error;
          }
          await handle.close();
        },
      };
      return wrapped;
    },
    async stat(path) {
      step('stat', path);
      return fsp.stat(path);
    },
    async mkdir(path) {
      step('mkdir', path);
      return fsp.mkdir(path);
    },
    async rename(from, to) {
      step(`rename->${basename(to)}`, from);
      await fsp.rename(from, to);
    },
    async unlink(path) {
      step('unlink', path);
      await fsp.unlink(path);
    },
    async rmdir(path) {
      step('rmdir', path);
      await fsp.rmdir(path);
    },
    async readdir(path) {
      step('readdir', path);
      return fsp.readdir(path);
    },
  };
}

/** A step with the random save id replaced by `ID`. */
function label(s: Step): string {
  return `${s.op} ${s.file}`.replace(/[0-9a-f]{16}/g, 'ID');
}

function listing(dir: string): string[] {
  return readdirSync(dir).sort();
}

/** Every file under a final name is complete: model.json validates, each weights file is one save's exact bytes. */
function expectNoPartialFiles(dir: string, completeWeights: string[]): void {
  for (const name of readdirSync(dir)) {
    if (name === 'model.json') expect(() => validateManifest(JSON.parse(readFileSync(join(dir, name), 'utf8')), name)).not.toThrow();
    else if (WEIGHTS.test(name)) expect(completeWeights).toContain(readFileSync(join(dir, name)).toString('hex'));
    else expect(name).toMatch(/\.tmp$/);
  }
}

describe('fileSystemHandler: save and load a directory', () => {
  it('round trip: model.json + one versioned weights file, bitwise identical predictions', async () => {
    const dir = freshDir();
    const model = net(1);
    const result = await saveModel(model, dir);
    expect(listing(dir)).toEqual(['model.json', result.weightsFile].sort());
    expect(result.weightsFile).toMatch(WEIGHTS);
    const manifest = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { weightsFile: string };
    expect(manifest.weightsFile).toBe(result.weightsFile);
    expect(readFileSync(join(dir, result.weightsFile))).toEqual(Buffer.from(modelToArtifacts(model).weights));
    const loaded = await loadModel(dir);
    expect(bits(loaded.predict(x))).toBe(bits(model.predict(x)));
  });

  it('saving again replaces the model and removes the previous weights file', async () => {
    const dir = freshDir();
    const first = await saveModel(net(1), dir);
    const second = await saveModel(net(2), fileSystemHandler(dir));
    expect(second.weightsFile).not.toBe(first.weightsFile);
    expect(listing(dir)).toEqual(['model.json', second.weightsFile].sort());
    expect(bits((await loadModel(dir)).predict(x))).toBe(bits(net(2).predict(x)));
  });

  it('model.save(fileSystemHandler(dir)) writes the same directory layout', async () => {
    const dir = freshDir();
    const model = net(4);
    const result = await model.save(fileSystemHandler(dir));
    expect(listing(dir)).toEqual(['model.json', result.weightsFile].sort());
    expect(bits((await loadModel(fileSystemHandler(dir))).predict(x))).toBe(bits(model.predict(x)));
  });

  it('creates missing parent directories', async () => {
    const dir = join(freshDir(), 'a', 'b');
    await saveModel(net(1), dir);
    expect(bits((await loadModel(dir)).predict(x))).toBe(bits(net(1).predict(x)));
  });

  it('a save follows the documented protocol, step by step', async () => {
    const dir = freshDir();
    await saveModel(net(1), dir);
    const log: Step[] = [];
    await saveModel(net(2), fileSystemHandler(dir, { fs: faultyFs(() => false, log) }));
    const steps = log.map(label);
    expect(steps).toEqual([
      `stat ${basename(dir)}`,
      'open(wx) weights.ID.bin.ID.tmp',
      'write weights.ID.bin.ID.tmp',
      'sync weights.ID.bin.ID.tmp',
      'close weights.ID.bin.ID.tmp',
      'rename->weights.ID.bin weights.ID.bin.ID.tmp',
      `open(r) ${basename(dir)}`,
      `sync ${basename(dir)}`,
      `close ${basename(dir)}`,
      'open(wx) model.json.ID.tmp',
      'write model.json.ID.tmp',
      'sync model.json.ID.tmp',
      'close model.json.ID.tmp',
      'rename->model.json model.json.ID.tmp', // the commit
      `open(r) ${basename(dir)}`,
      `sync ${basename(dir)}`,
      `close ${basename(dir)}`,
      `readdir ${basename(dir)}`,
      'unlink weights.ID.bin', // the previous model's weights
    ]);
  });
});

describe('atomic saves: a failure at any step leaves a loadable model and no partial file', async () => {
  // Count the steps of a save over an existing model, and find the commit (the manifest rename).
  const log: Step[] = [];
  {
    const parent = mkdtempSync(join(tmpdir(), 'scratchnet-io-steps-'));
    const dir = join(parent, 'm');
    await saveModel(net(1), dir);
    await saveModel(net(2), fileSystemHandler(dir, { fs: faultyFs(() => false, log) }));
    rmSync(parent, { recursive: true, force: true });
  }
  const commit = log.findIndex((s) => s.op === 'rename->model.json');

  const before = net(1);
  const after = net(2);
  const beforeWeights = Buffer.from(modelToArtifacts(before).weights).toString('hex');
  const afterWeights = Buffer.from(modelToArtifacts(after).weights).toString('hex');

  for (const mode of ['error', 'crash'] as const) {
    // error: only that step fails and the save cleans up; crash: it and everything after fail,
    // as if the process died there (no cleanup possible).
    it.each(log.map((s, i) => [i, label(s)] as const))(
      `${mode} at step %i (%s)`,
      async (k) => {
        const dir = freshDir();
        await saveModel(before, dir);
        const listingBefore = listing(dir);
        const manifestBefore = readFileSync(join(dir, 'model.json'));

        const fs = faultyFs(mode === 'error' ? (i) => i === k : (i) => i >= k);
        const saving = saveModel(after, fileSystemHandler(dir, { fs }));
        if (k <= commit) {
          const error = await saving.then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(error).toBeInstanceOf(ModelIOError);
          expect((error as Error).message).toMatch(/^saveModel: could not save to .*: injected failure at step \d+ .*; the directory is as it was before$/);
          // The previous model is what is there, and loads bitwise as before.
          expect(readFileSync(join(dir, 'model.json'))).toEqual(manifestBefore);
          expect(bits((await loadModel(dir)).predict(x))).toBe(bits(before.predict(x)));
          if (mode === 'error') expect(listing(dir)).toEqual(listingBefore);
        } else {
          // Past the commit the save has happened; later steps only tidy up.
          await saving;
          expect(bits((await loadModel(dir)).predict(x))).toBe(bits(after.predict(x)));
        }
        expectNoPartialFiles(dir, [beforeWeights, afterWeights]);

        // The next save succeeds and leaves exactly one model behind, leftovers removed.
        const next = await saveModel(net(3), dir);
        expect(listing(dir)).toEqual(['model.json', next.weightsFile].sort());
        expect(bits((await loadModel(dir)).predict(x))).toBe(bits(net(3).predict(x)));
      },
    );
  }
});

describe('file-system errors: clear, and nothing left behind', () => {
  it('loading from a directory that does not exist, or that holds no model', async () => {
    const missing = join(freshDir(), 'nope');
    await expect(loadModel(missing)).rejects.toThrow(ModelIOError);
    await expect(loadModel(missing)).rejects.toThrow(/^loadModel: directory .*nope does not exist$/);
    expect(existsSync(missing)).toBe(false);
    const empty = freshDir();
    await fsp.mkdir(empty);
    await expect(loadModel(empty)).rejects.toThrow(/^loadModel: no model\.json in .*; is it a saved model\?$/);
    const file = join(empty, 'file.txt');
    writeFileSync(file, 'x');
    await expect(loadModel(file)).rejects.toThrow(/^loadModel: .*file\.txt is not a directory$/);
  });

  it('saving to a path that cannot be created or written', async () => {
    const dir = freshDir();
    await fsp.mkdir(dir);
    const file = join(dir, 'file.txt');
    writeFileSync(file, 'keep me');
    await expect(saveModel(net(1), join(file, 'sub', 'model'))).rejects.toThrow(/^saveModel: could not save to .*file\.txt\/sub\/model: .*ENOTDIR/);
    await expect(saveModel(net(1), file)).rejects.toThrow(/^saveModel: could not save to .*file\.txt: .*exists and is not a directory/);
    expect(listing(dir)).toEqual(['file.txt']);
    expect(readFileSync(file, 'utf8')).toBe('keep me');

    // Permission denied on the first file (as a read-only directory would; the tests run as root,
    // which chmod cannot stop): the directories the save created are removed again.
    const deep = join(dir, 'x', 'y', 'z');
    const denying: FileSystemLike = {
      ...(fsp as unknown as FileSystemLike),
      open: async (path, flags) => {
        if (flags === 'wx') throw Object.assign(new Error(`EACCES: permission denied, open '${path}'`), { code: 'EACCES' });
        return fsp.open(path, flags);
      },
    };
    await expect(saveModel(net(1), fileSystemHandler(deep, { fs: denying }))).rejects.toThrow(/^saveModel: could not save to .*z: EACCES: permission denied/);
    expect(listing(dir)).toEqual(['file.txt']);
  });

  it('a missing, truncated or oversized weights file; oversized ones are refused before any read', async () => {
    const dir = freshDir();
    const { weightsFile, weightsByteLength } = await saveModel(net(1), dir);
    const weightsPath = join(dir, weightsFile);
    const original = readFileSync(weightsPath);

    truncateSync(weightsPath, weightsByteLength - 1);
    await expect(loadModel(dir)).rejects.toThrow(ModelFormatError);
    await expect(loadModel(dir)).rejects.toThrow(
      new RegExp(`^${weightsPath}: truncated: ${weightsByteLength - 1} bytes, but ${join(dir, 'model.json')} declares weightsByteLength ${weightsByteLength}$`),
    );

    // 8 GiB, sparse: costs no disk, and loading must not try to allocate or read it.
    truncateSync(weightsPath, 8 * 2 ** 30);
    const reads: string[] = [];
    const spying: FileSystemLike = {
      ...(fsp as unknown as FileSystemLike),
      open: async (path, flags) => {
        const handle = await fsp.open(path, flags);
        return {
          write: (b, o, l, p) => handle.write(b, o, l, p),
          read: (b, o, l, p) => (reads.push(basename(path)), handle.read(b, o, l, p)),
          stat: () => handle.stat(),
          sync: () => handle.sync(),
          close: () => handle.close(),
        };
      },
    };
    await expect(loadModel(fileSystemHandler(dir, { fs: spying }))).rejects.toThrow(/oversized: 8589934592 bytes, but .*declares weightsByteLength/);
    expect(reads.filter((f) => f === weightsFile)).toEqual([]);

    rmSync(weightsPath);
    await expect(loadModel(dir)).rejects.toThrow(new RegExp(`^${weightsPath}: missing: .*model\\.json names it as weightsFile$`));
    writeFileSync(weightsPath, original);
    expect(bits((await loadModel(dir)).predict(x))).toBe(bits(net(1).predict(x)));
  });

  it('a manifest that is too large, not UTF-8, not JSON, or carries __proto__', async () => {
    const dir = freshDir();
    await saveModel(net(1), dir);
    const manifestPath = join(dir, 'model.json');
    const text = readFileSync(manifestPath, 'utf8');
    await expect(loadModel(dir, { maxManifestBytes: 100 })).rejects.toThrow(
      new RegExp(`^${manifestPath}: ${Buffer.byteLength(text)} bytes is more than the 100 a manifest may have`),
    );
    writeFileSync(manifestPath, Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
    await expect(loadModel(dir)).rejects.toThrow(new RegExp(`^${manifestPath}: not UTF-8 text$`));
    writeFileSync(manifestPath, text.slice(0, -20));
    await expect(loadModel(dir)).rejects.toThrow(new RegExp(`^${manifestPath}: not valid JSON`));
    writeFileSync(manifestPath, text.replace('"name"', '"__proto__": { "polluted": 1 }, "name"'));
    await expect(loadModel(dir)).rejects.toThrow(new RegExp(`^${manifestPath}: key "__proto__" is not allowed anywhere in a manifest$`));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    writeFileSync(manifestPath, text.replace(/"weightsFile": "[^"]+"/, '"weightsFile": "../../../etc/passwd"'));
    await expect(loadModel(dir)).rejects.toThrow(new RegExp(`^${manifestPath}: weightsFile: must be a plain file name`));
  });

  it('a load racing a save reads the manifest again when its weights file vanishes', async () => {
    const dir = freshDir();
    await saveModel(net(1), dir);
    let raced = false;
    const racing: FileSystemLike = {
      ...(fsp as unknown as FileSystemLike),
      open: async (path, flags) => {
        if (!raced && WEIGHTS.test(basename(path))) {
          raced = true;
          // Between reading model.json and opening its weights, another save replaces the model.
          await saveModel(net(2), dir);
        }
        return fsp.open(path, flags);
      },
    };
    const loaded = await loadModel(fileSystemHandler(dir, { fs: racing }));
    expect(raced).toBe(true);
    expect(bits(loaded.predict(x))).toBe(bits(net(2).predict(x)));
  });

  it('refuses an empty directory name', () => {
    expect(() => fileSystemHandler('')).toThrow(/^fileSystemHandler: dir must be a non-empty path, got an empty string$/);
  });
});
