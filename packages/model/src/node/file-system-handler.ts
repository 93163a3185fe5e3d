import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { IOHandler, LoadedArtifacts, ModelArtifacts, SaveResult } from '../io/handler.js';
import { validateManifest, type ManifestLimits, type ModelManifest } from '../io/manifest.js';
import { ModelFormatError } from '../io/model-format-error.js';
import { ModelIOError } from '../io/model-io-error.js';
import { parseJson } from '../io/safe-json.js';

/** The part of an open file the handler uses; `node:fs/promises` FileHandles fit. */
export interface FileHandleLike {
  write(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesWritten: number }>;
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  stat(): Promise<{ size: number }>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The part of `node:fs/promises` the handler uses. Pass another implementation (a wrapper that
 * fails on cue, a virtual file system) as `fileSystemHandler(dir, { fs })`.
 */
export interface FileSystemLike {
  open(path: string, flags: string): Promise<FileHandleLike>;
  stat(path: string): Promise<{ isDirectory(): boolean }>;
  mkdir(path: string, options: { recursive: true }): Promise<string | undefined>;
  rename(oldPath: string, newPath: string): Promise<void>;
  unlink(path: string): Promise<void>;
  rmdir(path: string): Promise<void>;
  readdir(path: string): Promise<string[]>;
}

/** Options of `fileSystemHandler` (and of `loadModel` from `@scratchnet/model/node`). */
export interface FileSystemHandlerOptions extends ManifestLimits {
  /** The file system to use; `node:fs/promises` by default. */
  fs?: FileSystemLike;
  /** Largest `model.json` to read; default 64 MiB (a manifest is a few KB per layer). */
  maxManifestBytes?: number;
}

/** The manifest's file name in a saved model's directory. */
export const MANIFEST_FILE = 'model.json';
const DEFAULT_MAX_MANIFEST_BYTES = 64 * 2 ** 20;
/** Files a save writes: `weights.<16 hex>.bin`, and temporaries `<final name>.<16 hex>.tmp`. */
const WEIGHTS_PATTERN = /^weights\.[0-9a-f]{16}\.bin$/;
const TEMP_PATTERN = /^(model\.json|weights\.[0-9a-f]{16}\.bin)\.[0-9a-f]{16}\.tmp$/;
// Errors with which some platforms refuse to open or fsync a directory (Windows, some network
// file systems): there a directory fsync cannot be had, and skipping it is all one can do.
const DIRECTORY_SYNC_UNSUPPORTED = new Set(['EISDIR', 'EPERM', 'EACCES', 'EINVAL', 'ENOTSUP', 'EBADF']);

/**
 * Saves a model to, and loads it from, the directory `dir`: `model.json` plus one weights file
 * named `weights.<random id>.bin`, which `model.json` names.
 *
 * Saving is atomic — at every moment `dir` holds one complete model, the previous or the new:
 *   1. the weights go to a temporary name, are fsynced, and are renamed to a *new* versioned
 *      name (`weights.<id>.bin`) — the previous model's files are untouched so far;
 *   2. the directory is fsynced, so that rename is durable before anything points at it;
 *   3. the manifest goes to a temporary name, is fsynced, and is renamed over `model.json`.
 *      This rename is the commit: one atomic replacement switches both files at once, since
 *      the manifest names its weights file;
 *   4. the directory is fsynced again, and the previous weights file and stale temporaries from
 *      interrupted saves are deleted (best-effort: they no longer matter).
 * A failure before the commit removes what this save wrote (and any directory it created) and
 * rejects with a ModelIOError; the previous model loads as before. A crash leaves at worst
 * `*.tmp` files or an unreferenced complete weights file, which the next save removes.
 * One writer per directory at a time.
 *
 * Loading reads `model.json` (refusing one larger than `maxManifestBytes`), validates it, checks
 * the weights file's size against the manifest before allocating anything, then reads it.
 */
export function fileSystemHandler(dir: string, options: FileSystemHandlerOptions = {}): IOHandler {
  if (typeof dir !== 'string' || dir === '') {
    throw new ModelIOError(`fileSystemHandler: dir must be a non-empty path, got ${dir === '' ? 'an empty string' : typeof dir}`);
  }
  const fs: FileSystemLike = options.fs ?? nodeFs;
  const root = resolve(dir);
  return {
    save: (artifacts) => saveToDirectory(fs, root, artifacts),
    load: () => loadFromDirectory(fs, root, options),
  };
}

async function saveToDirectory(fs: FileSystemLike, dir: string, artifacts: ModelArtifacts): Promise<SaveResult> {
  const manifest = artifacts.manifest as ModelManifest;
  const id = randomBytes(8).toString('hex');
  const weightsFile = `weights.${id}.bin`;
  const weightsTemp = join(dir, `${weightsFile}.${id}.tmp`);
  const weightsFinal = join(dir, weightsFile);
  const manifestTemp = join(dir, `${MANIFEST_FILE}.${id}.tmp`);
  const text = `${JSON.stringify({ ...manifest, weightsFile }, null, 1)}\n`;
  const written: string[] = [];
  let createdDir: string | undefined;
  try {
    createdDir = await ensureDirectory(fs, dir);
    written.push(weightsTemp);
    await writeFileDurably(fs, weightsTemp, new Uint8Array(artifacts.weights));
    await fs.rename(weightsTemp, weightsFinal);
    written.push(weightsFinal);
    await syncDirectory(fs, dir);
    written.push(manifestTemp);
    await writeFileDurably(fs, manifestTemp, new TextEncoder().encode(text));
    await fs.rename(manifestTemp, join(dir, MANIFEST_FILE));
  } catch (error) {
    await removeQuietly(fs, written, createdDir, dir);
    throw new ModelIOError(`saveModel: could not save to ${dir}: ${messageOf(error)}; the directory is as it was before`, { cause: error });
  }
  // Committed. What follows makes the save durable and tidy, and cannot undo it.
  await syncDirectory(fs, dir).catch(() => undefined);
  await removeStale(fs, dir, weightsFile);
  return { location: dir, weightsFile, weightsByteLength: artifacts.weights.byteLength, checksum: manifest.checksum.value };
}

/** Makes `dir` exist; returns the topmost directory it had to create, for undoing. */
async function ensureDirectory(fs: FileSystemLike, dir: string): Promise<string | undefined> {
  try {
    const stats = await fs.stat(dir);
    if (!stats.isDirectory()) throw new ModelIOError(`${dir} exists and is not a directory`);
    return undefined;
  } catch (error) {
    if (codeOf(error) !== 'ENOENT') throw error;
  }
  return await fs.mkdir(dir, { recursive: true });
}

async function writeFileDurably(fs: FileSystemLike, path: string, bytes: Uint8Array): Promise<void> {
  // 'wx': never write into a file that already exists under this name.
  const handle = await fs.open(path, 'wx');
  try {
    let done = 0;
    while (done < bytes.length) {
      const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, done);
      if (bytesWritten <= 0) throw new ModelIOError(`${path}: the file system wrote nothing`);
      done += bytesWritten;
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncDirectory(fs: FileSystemLike, dir: string): Promise<void> {
  let handle: FileHandleLike;
  try {
    handle = await fs.open(dir, 'r');
  } catch (error) {
    if (DIRECTORY_SYNC_UNSUPPORTED.has(codeOf(error) ?? '')) return;
    throw error;
  }
  try {
    await handle.sync();
  } catch (error) {
    if (!DIRECTORY_SYNC_UNSUPPORTED.has(codeOf(error) ?? '')) throw error;
  } finally {
    await handle.close();
  }
}

async function removeQuietly(fs: FileSystemLike, paths: string[], createdDir: string | undefined, dir: string): Promise<void> {
  for (const path of paths.reverse()) await fs.unlink(path).catch(() => undefined);
  if (createdDir === undefined) return;
  // Remove the directories this save created, deepest first, and only those (each must be empty).
  for (let d = dir; d.length >= createdDir.length; d = resolve(d, '..')) {
    await fs.rmdir(d).catch(() => undefined);
    if (d === createdDir) break;
  }
}

/** Deletes earlier saves' weights files and interrupted saves' temporaries; never fails the save. */
async function removeStale(fs: FileSystemLike, dir: string, keep: string): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (name !== keep && (WEIGHTS_PATTERN.test(name) || TEMP_PATTERN.test(name))) {
      await fs.unlink(join(dir, name)).catch(() => undefined);
    }
  }
}

async function loadFromDirectory(fs: FileSystemLike, dir: string, options: FileSystemHandlerOptions): Promise<LoadedArtifacts> {
  try {
    if (!(await fs.stat(dir)).isDirectory()) throw new ModelIOError(`loadModel: ${dir} is not a directory`);
  } catch (error) {
    if (error instanceof ModelIOError) throw error;
    if (codeOf(error) === 'ENOENT') throw new ModelIOError(`loadModel: directory ${dir} does not exist`, { cause: error });
    throw new ModelIOError(`loadModel: cannot read directory ${dir}: ${messageOf(error)}`, { cause: error });
  }
  // A save may replace the model between reading the manifest and opening the weights it names
  // (and then delete them); reading the manifest again once resolves that race.
  for (let attempt = 0; ; attempt++) {
    const manifestPath = join(dir, MANIFEST_FILE);
    const manifest = await readManifest(fs, manifestPath, options);
    const weightsPath = join(dir, manifest.weightsFile);
    const weights = await readWeights(fs, weightsPath, manifest.weightsByteLength, manifestPath);
    if (weights !== 'missing') return { manifest, weights, sources: { manifest: manifestPath, weights: weightsPath } };
    if (attempt > 0) throw new ModelFormatError(weightsPath, undefined, `missing: ${manifestPath} names it as weightsFile`);
  }
}

async function readManifest(fs: FileSystemLike, path: string, options: FileSystemHandlerOptions): Promise<ModelManifest> {
  const maxBytes = options.maxManifestBytes ?? DEFAULT_MAX_MANIFEST_BYTES;
  let handle: FileHandleLike;
  try {
    handle = await fs.open(path, 'r');
  } catch (error) {
    if (codeOf(error) === 'ENOENT') throw new ModelIOError(`loadModel: no ${MANIFEST_FILE} in ${resolve(path, '..')}; is it a saved model?`, { cause: error });
    throw new ModelIOError(`loadModel: cannot open ${path}: ${messageOf(error)}`, { cause: error });
  }
  let bytes: Uint8Array;
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) {
      throw new ModelFormatError(path, undefined, `${size} bytes is more than the ${maxBytes} a manifest may have (maxManifestBytes)`);
    }
    bytes = await readExactly(handle, size, path);
  } finally {
    await handle.close();
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    throw new ModelFormatError(path, undefined, 'not UTF-8 text', { cause: error });
  }
  return validateManifest(parseJson(text, path), path, options);
}

async function readWeights(fs: FileSystemLike, path: string, declared: number, manifestPath: string): Promise<ArrayBuffer | 'missing'> {
  let handle: FileHandleLike;
  try {
    handle = await fs.open(path, 'r');
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return 'missing';
    throw new ModelIOError(`loadModel: cannot open ${path}: ${messageOf(error)}`, { cause: error });
  }
  try {
    // The size is checked before anything is allocated: a huge file costs nothing to refuse.
    const { size } = await handle.stat();
    if (size !== declared) {
      throw new ModelFormatError(path, undefined, `${size < declared ? 'truncated' : 'oversized'}: ${size} bytes, but ${manifestPath} declares weightsByteLength ${declared}`);
    }
    const bytes = await readExactly(handle, declared, path);
    return bytes.buffer as ArrayBuffer;
  } finally {
    await handle.close();
  }
}

/** Reads `length` bytes from the start, and fails if the file turns out shorter or longer. */
async function readExactly(handle: FileHandleLike, length: number, path: string): Promise<Uint8Array> {
  const bytes = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(bytes, done, length - done, done);
    if (bytesRead === 0) throw new ModelFormatError(path, undefined, `truncated: ended after ${done} of ${length} bytes while reading`);
    done += bytesRead;
  }
  const probe = new Uint8Array(1);
  if ((await handle.read(probe, 0, 1, length)).bytesRead !== 0) {
    throw new ModelFormatError(path, undefined, `oversized: grew past ${length} bytes while reading`);
  }
  return bytes;
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
