import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setBackend } from '@scratchnet/backend';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { Dense, ReLU, Softmax } from '@scratchnet/layers';
import { Rng, ValueError, getAllocator, randn, setAllocator, type Tensor } from '@scratchnet/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ModelFormatError,
  ModelIOError,
  Sequential,
  loadModel as loadFromHandler,
  memoryHandler,
  modelFromArtifacts,
  modelToArtifacts,
  validateManifest,
  type ModelManifest,
} from '@scratchnet/model';
import { checkSaveDirectory, fileSystemHandler, loadModel, saveModel, type FileSystemLike } from '@scratchnet/model/node';

/**
 * What a hostile or unlucky model directory must not do to `loadModel` and `saveModel`: make
 * them allocate what the files do not declare, hang on a FIFO, spin on /proc, follow a link out
 * of the directory, throw raw errors, lose a race with a writer, or take a limit of "abc".
 * Tests that could hang have a short timeout of their own, so a hang fails them.
 */

const HANG = 10_000;
let root: string;
beforeAll(() => {
  setBackend(new CpuBackend());
  root = mkdtempSync(join(tmpdir(), 'scratchnet-hostile-'));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

let count = 0;
function freshDir(): string {
  return join(root, `case-${count++}`);
}

function net(seed: number): Sequential {
  const rng = new Rng(seed);
  return new Sequential([new Dense(2, 100, { rng }), new ReLU(), new Dense(100, 1, { rng }), new Softmax()]);
}

const x = randn([3, 2], { rng: new Rng(5) });
function bits(t: Tensor): string {
  return Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString('hex');
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

/** Runs `fn` with an allocator that counts the bytes of every tensor allocation (and still allocates). */
async function recorded<T>(fn: () => Promise<T>): Promise<{ bytes: number; result: T | Error }> {
  const previous = getAllocator();
  let bytes = 0;
  setAllocator({
    allocate(dtype, length) {
      bytes += length * (dtype === 'float64' ? 8 : 4);
      return previous.allocate(dtype, length);
    },
  });
  let result: T | Error;
  try {
    result = await fn();
  } catch (error) {
    result = error as Error;
  } finally {
    setAllocator(previous);
  }
  return { bytes, result };
}

describe('a hand-edited manifest: declared shapes are checked before any layer is built', () => {
  // The weights file of net(): 2·100 + 100 + 100·1 + 1 float32 = 1604 bytes.
  for (const [inputSize, units] of [
    [10_000, 10_000],
    [1e6, 1e6],
  ] as const) {
    it(`Dense(${inputSize}, ${units}) beside a 1604-byte weights file: a ModelFormatError, nothing large allocated`, async () => {
      const dir = freshDir();
      await saveModel(net(1), dir);
      const path = join(dir, 'model.json');
      const manifest = JSON.parse(readFileSync(path, 'utf8')) as ModelManifest;
      Object.assign(manifest.architecture[0]!.config, { inputSize, units });
      writeFileSync(path, JSON.stringify(manifest));
      for (const load of [() => loadModel(dir), () => loadFromHandler(memoryHandler({ manifest, weights: readFileSync(join(dir, manifest.weightsFile)) }))]) {
        const { bytes, result } = await recorded(load);
        expect(result).toBeInstanceOf(ModelFormatError);
        expect((result as Error).message).toMatch(new RegExp(`weights\\[0\\]\\.shape: expected \\[${inputSize},${units}\\] for dense/kernel, got \\[2,100\\]$`));
        // Validation itself allocates no tensor; the model is never built.
        expect(bytes).toBe(0);
      }
    });
  }

  it('a layer the manifest declares without its weights is refused before building it', () => {
    const { manifest, weights } = modelToArtifacts(net(1)) as { manifest: ModelManifest; weights: ArrayBuffer };
    const dense1 = manifest.architecture[2]!.config;
    dense1.inputSize = 4096;
    dense1.units = 4096;
    manifest.weights.splice(2, 2);
    manifest.weightsByteLength = 1200;
    expect(() => validateManifest(manifest, 'model.json')).toThrow(
      new ModelFormatError('model.json', 'weights', 'has 2 entries, but the architecture has 4 parameters (missing dense_1/kernel)'),
    );
    expect(() => modelFromArtifacts({ manifest, weights: weights.slice(0, 1200) })).toThrow(ModelFormatError);
  });

  it('with a layer class only building can describe, the built-in layers are matched by name', () => {
    const { manifest } = modelToArtifacts(net(1)) as { manifest: ModelManifest };
    // An unknown class makes the parameter order unknowable before building; Dense is still checked.
    manifest.architecture.splice(1, 1, { className: 'Unregistered', config: { name: 'mystery' } });
    manifest.architecture[0]!.config.units = 5000;
    expect(() => validateManifest(manifest, 'model.json')).toThrow(/^model\.json: weights\[0\]\.shape: expected \[2,5000\] for dense\/kernel, got \[2,100\]$/);
    manifest.architecture[0]!.config.units = 100;
    manifest.architecture[0]!.config.name = 'renamed';
    expect(() => validateManifest(manifest, 'model.json')).toThrow(
      /^model\.json: weights: has no renamed\/kernel, which architecture\[0\] declares as float32 \[2,100\]$/,
    );
  });
});

describe('only regular files are read: FIFOs, directories and links are refused at once', () => {
  const fifo = process.platform === 'win32' ? it.skip : it;

  fifo(
    'a FIFO as model.json or as the weights file: refused without waiting for a writer',
    async () => {
      for (const which of ['manifest', 'weights'] as const) {
        const dir = freshDir();
        const { weightsFile } = await saveModel(net(1), dir);
        const target = join(dir, which === 'manifest' ? 'model.json' : weightsFile);
        rmSync(target);
        execFileSync('mkfifo', [target]);
        const error = await rejection(loadModel(dir));
        expect(error).toBeInstanceOf(ModelFormatError);
        expect(error.message).toBe(
          `${target}: a FIFO, not a regular file: a saved model's files are regular files in its directory (links are not followed, FIFOs and devices not read)`,
        );
      }
    },
    HANG,
  );

  it('a directory where model.json or the weights file belongs: a ModelFormatError, not a raw EISDIR', async () => {
    for (const which of ['manifest', 'weights'] as const) {
      const dir = freshDir();
      const { weightsFile } = await saveModel(net(1), dir);
      const target = join(dir, which === 'manifest' ? 'model.json' : weightsFile);
      rmSync(target);
      mkdirSync(target);
      const error = await rejection(loadModel(dir));
      expect(error).toBeInstanceOf(ModelFormatError);
      expect(error.message).toMatch(new RegExp(`^${target}: a directory, not a regular file`));
    }
  });

  it('a weights file linking outside the directory is refused, and nothing about the outside file is told', async () => {
    const dir = freshDir();
    const { weightsFile } = await saveModel(net(1), dir);
    const original = readFileSync(join(dir, weightsFile));
    const secret = join(root, `secret-${count}.bin`);
    writeFileSync(secret, Buffer.alloc(777, 0x5a));
    rmSync(join(dir, weightsFile));
    symlinkSync(secret, join(dir, weightsFile));
    const error = await rejection(loadModel(dir));
    expect(error).toBeInstanceOf(ModelFormatError);
    const link = join(dir, weightsFile);
    expect(error.message).toMatch(new RegExp(`^${link}: a symbolic link, not a regular file`));
    // Past the file's own name (its content hash may hold any digits, 777 among them).
    expect(error.message.slice(link.length)).not.toMatch(/777|truncated|oversized|CRC|checksum/);
    // Even a link to the right bytes is refused: links are not followed at all.
    writeFileSync(secret, original);
    expect(await rejection(loadModel(dir))).toBeInstanceOf(ModelFormatError);
  });

  it('model.json itself as a link is refused; the directory path may go through a link', async () => {
    const real = freshDir();
    await saveModel(net(2), real);
    const elsewhere = freshDir();
    mkdirSync(elsewhere);
    const { weightsFile } = JSON.parse(readFileSync(join(real, 'model.json'), 'utf8')) as ModelManifest;
    writeFileSync(join(elsewhere, weightsFile), readFileSync(join(real, weightsFile)));
    symlinkSync(join(real, 'model.json'), join(elsewhere, 'model.json'));
    const error = await rejection(loadModel(elsewhere));
    expect(error).toBeInstanceOf(ModelFormatError);
    expect(error.message).toMatch(/model\.json: a symbolic link, not a regular file/);

    const alias = freshDir();
    symlinkSync(real, alias);
    expect(bits((await loadModel(alias)).predict(x))).toBe(bits(net(2).predict(x)));
  });
});

describe('saving where directories cannot be made', () => {
  const linux = existsSync('/proc/self') ? it : it.skip;

  linux(
    'under /proc: a ModelIOError at once, not a recursive mkdir spinning forever',
    async () => {
      const error = await rejection(saveModel(net(1), '/proc/scratchnet-test/model'));
      expect(error).toBeInstanceOf(ModelIOError);
      expect(error.message).toMatch(
        /^saveModel: could not save to \/proc\/scratchnet-test\/model: cannot create directory \/proc\/scratchnet-test: ENOENT.* \(the file system refuses new directories there\); the directory is as it was before$/,
      );
      const check = await rejection(checkSaveDirectory('/proc/scratchnet-test'));
      expect(check).toBeInstanceOf(ModelIOError);
      expect(check.message).toMatch(/^saveModel: cannot save to \/proc\/scratchnet-test: cannot create directory/);
    },
    HANG,
  );

  it('a file system refusing a level halfway: the levels made so far are removed again', async () => {
    const base = freshDir();
    mkdirSync(base);
    const refusing: FileSystemLike = {
      ...(fsp as unknown as FileSystemLike),
      mkdir: async (path) => {
        if (basename(path) === 'c') throw Object.assign(new Error(`ENOENT: no such file or directory, mkdir '${path}'`), { code: 'ENOENT' });
        return fsp.mkdir(path);
      },
    };
    const error = await rejection(saveModel(net(1), fileSystemHandler(join(base, 'a', 'b', 'c', 'd'), { fs: refusing })));
    expect(error).toBeInstanceOf(ModelIOError);
    expect(error.message).toMatch(/cannot create directory .*\/a\/b\/c: ENOENT/);
    expect(readdirSync(base)).toEqual([]);
  });

  it('checkSaveDirectory: fine directories pass and keep nothing; unusable ones are a ModelIOError naming why', async () => {
    const existing = freshDir();
    mkdirSync(existing);
    await checkSaveDirectory(existing);
    expect(readdirSync(existing)).toEqual([]);
    const parent = freshDir();
    mkdirSync(parent);
    await checkSaveDirectory(join(parent, 'new', 'deeper'));
    expect(readdirSync(parent)).toEqual([]);
    const file = join(parent, 'file.txt');
    writeFileSync(file, 'x');
    await expect(checkSaveDirectory(file)).rejects.toThrow(/^saveModel: cannot save to .*file\.txt: .*file\.txt exists and is not a directory$/);
    await expect(checkSaveDirectory(join(file, 'sub'))).rejects.toThrow(/^saveModel: cannot save to .*file\.txt\/sub: .*ENOTDIR/);
    const denying: FileSystemLike = {
      ...(fsp as unknown as FileSystemLike),
      open: async (path, flags) => {
        if (flags === 'wx') throw Object.assign(new Error(`EACCES: permission denied, open '${path}'`), { code: 'EACCES' });
        return fsp.open(path, flags);
      },
    };
    await expect(checkSaveDirectory(join(parent, 'x', 'y'), { fs: denying })).rejects.toThrow(/^saveModel: cannot save to .*x\/y: EACCES/);
    expect(readdirSync(parent)).toEqual(['file.txt']);
  });
});

describe('detached buffers', () => {
  it('memoryHandler given transferred weights: a ModelIOError saying so, not a raw TypeError', () => {
    const { manifest, weights } = modelToArtifacts(net(1));
    structuredClone(weights, { transfer: [weights] });
    expect(() => memoryHandler({ manifest, weights })).toThrow(ModelIOError);
    expect(() => memoryHandler({ manifest, weights })).toThrow(/^memoryHandler: the weights buffer is detached/);
    expect(() => memoryHandler({ manifest, weights: new Uint8Array(weights) })).toThrow(/detached|Construct/);
  });

  it('a handler that hands over a detached buffer: a ModelFormatError naming the weights', async () => {
    const { manifest, weights } = modelToArtifacts(net(1));
    structuredClone(weights, { transfer: [weights] });
    const error = await rejection(loadFromHandler({ load: async () => ({ manifest, weights }) }));
    expect(error).toBeInstanceOf(ModelFormatError);
    expect(error.message).toBe('weights.bin: the weights ArrayBuffer is detached (transferred away): its bytes are gone');
  });
});

describe('a reader racing a writer', () => {
  it(
    'another process saving in a loop: each of 500 loads is one of the saved models, or says the model kept changing',
    async () => {
      // Tiny models: the faster the saves, the more often a load meets one mid-way.
      const tiny = (seed: number) => new Sequential([new Dense(2, 4, { rng: new Rng(seed) }), new Softmax()]);
      const dir = freshDir();
      await saveModel(tiny(1), dir);
      const expected = [bits(tiny(1).predict(x)), bits(tiny(2).predict(x))];
      // The writer runs the built package in a process of its own, as a second program would.
      const code = `
        import { setBackend } from '@scratchnet/backend';
        import { CpuBackend } from '@scratchnet/backend-cpu';
        import { Dense, Softmax } from '@scratchnet/layers';
        import { Sequential } from '@scratchnet/model';
        import { saveModel } from '@scratchnet/model/node';
        import { Rng } from '@scratchnet/tensor';
        setBackend(new CpuBackend());
        const tiny = (seed) => new Sequential([new Dense(2, 4, { rng: new Rng(seed) }), new Softmax()]);
        const nets = [tiny(1), tiny(2)];
        process.stdout.write('ready\\n');
        for (let i = 0; ; i++) await saveModel(nets[i % 2], ${JSON.stringify(dir)});`;
      const writer = spawn(process.execPath, ['--input-type=module', '-e', code], { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: ['ignore', 'pipe', 'pipe'] });
      try {
        await new Promise((resolve, reject) => {
          writer.stdout.once('data', resolve);
          writer.once('exit', (status) => reject(new Error(`the writer exited (${status})`)));
        });
        // Which outcome a load meets depends on how the two processes are scheduled, so the test
        // asserts what each load may end in, not how often: a saved model, or — when the writer
        // replaced the files at every one of the bounded retries — the typed "changed while
        // loading". Never a missing file, a half-written model or an untyped error. (The retry
        // itself is checked deterministically below.)
        const failures: string[] = [];
        let loadedOk = 0;
        for (let i = 0; i < 500; i++) {
          try {
            const loaded = bits((await loadModel(dir)).predict(x));
            if (expected.includes(loaded)) loadedOk++;
            else failures.push('a model that is neither saved one');
          } catch (error) {
            const changed = error instanceof ModelIOError && /changed while loading: \d+ times its weights file was replaced/.test(error.message);
            if (!changed) failures.push(String(error));
          }
        }
        expect(failures).toEqual([]);
        expect(loadedOk).toBeGreaterThan(0);
      } finally {
        writer.kill();
      }
    },
    120_000,
  );

  it('several saves in a row between reading the manifest and opening its weights: read again until consistent', async () => {
    const dir = freshDir();
    await saveModel(net(1), dir);
    let races = 0;
    const racing: FileSystemLike = {
      ...(fsp as unknown as FileSystemLike),
      open: async (path, flags) => {
        if (races < 4 && /^weights\./.test(basename(path)) && typeof flags === 'number') {
          races++;
          await saveModel(net(races % 2 === 0 ? 1 : 2), dir);
        }
        return fsp.open(path, flags);
      },
    };
    const loaded = await loadFromHandler(fileSystemHandler(dir, { fs: racing }));
    expect(races).toBe(4);
    expect(bits(loaded.predict(x))).toBe(bits(net(2).predict(x)));
  });

  it('a model replaced before every read: "changed while loading" after 10 attempts; a stable manifest naming a missing file: "missing"', async () => {
    const dir = freshDir();
    await saveModel(net(1), dir);
    let opened = 0;
    const always: FileSystemLike = {
      ...(fsp as unknown as FileSystemLike),
      open: async (path, flags) => {
        if (/^weights\./.test(basename(path)) && typeof flags === 'number') {
          opened++;
          await saveModel(net(opened % 2), dir);
        }
        return fsp.open(path, flags);
      },
    };
    const error = await rejection(loadFromHandler(fileSystemHandler(dir, { fs: always })));
    expect(error).toBeInstanceOf(ModelIOError);
    expect(error.message).toBe(
      `loadModel: the model in ${dir} changed while loading: 10 times its weights file was replaced before it could be read (is another process saving to it in a loop?)`,
    );
    expect(opened).toBe(10);

    const { weightsFile } = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as ModelManifest;
    rmSync(join(dir, weightsFile));
    await expect(loadModel(dir)).rejects.toThrow(new RegExp(`^${join(dir, weightsFile)}: missing: .*model\\.json names it as weightsFile$`));
  });
});

describe('loadModel options are checked', () => {
  it('a limit that is not a byte count, or an unknown key, is a ValueError before anything is read', async () => {
    const dir = freshDir();
    await saveModel(net(1), dir);
    const cases: [unknown, RegExp][] = [
      [{ maxWeightsBytes: 'abc' }, /^loadModel: maxWeightsBytes must be an integer >= 0 \(bytes\) or Infinity, got "abc"$/],
      [{ maxWeightsBytes: NaN }, /^loadModel: maxWeightsBytes must be .*, got NaN$/],
      [{ maxWeightsBytes: -1 }, /got -1$/],
      [{ maxWeightsBytes: 1.5 }, /got 1\.5$/],
      [{ maxManifestBytes: '64' }, /^loadModel: maxManifestBytes must be/],
      [{ maxWeightBytes: 10 }, /^loadModel: unknown option "maxWeightBytes"; expected one of maxWeightsBytes, maxManifestBytes$/],
      [{ fs: fsp }, /^loadModel: unknown option "fs"/],
      ['fast', /^loadModel: options must be an object, got "fast"$/],
    ];
    for (const [options, message] of cases) {
      const error = await rejection(loadModel(dir, options as never));
      expect(error, JSON.stringify(options)).toBeInstanceOf(ValueError);
      expect(error.message).toMatch(message);
    }
    const handler = memoryHandler(modelToArtifacts(net(1)));
    await expect(loadFromHandler(handler, { maxWeightsBytes: NaN })).rejects.toThrow(/^loadModel: maxWeightsBytes must be/);
    await expect(loadFromHandler(handler, { maxManifestBytes: 5 } as never)).rejects.toThrow(/^loadModel: unknown option "maxManifestBytes"/);
    await expect(loadModel(handler, { maxManifestBytes: 5 })).rejects.toThrow(/^loadModel: maxManifestBytes applies to a directory path/);
    expect(() => fileSystemHandler(dir, { maxManifestBytes: NaN })).toThrow(/^fileSystemHandler: maxManifestBytes must be/);
    expect(() => fileSystemHandler(dir, { fs: {} as FileSystemLike })).toThrow(/^fileSystemHandler: fs must have the methods .*; missing open, stat/);
    expect(() => validateManifest(modelToArtifacts(net(1)).manifest, 'model.json', { maxWeightsBytes: 'x' as never })).toThrow(ValueError);
  });

  it('the limits still work: 0 refuses, Infinity and a large integer accept', async () => {
    const dir = freshDir();
    await saveModel(net(1), dir);
    await expect(loadModel(dir, { maxWeightsBytes: 0 })).rejects.toThrow(/weightsByteLength: 1604 bytes is more than the 0 allowed/);
    expect(bits((await loadModel(dir, { maxWeightsBytes: Infinity })).predict(x))).toBe(bits(net(1).predict(x)));
    expect(bits((await loadModel(dir, { maxWeightsBytes: 1604, maxManifestBytes: 1e6 })).predict(x))).toBe(bits(net(1).predict(x)));
  });
});

