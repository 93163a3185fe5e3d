import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import * as nodeFs from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ValueError } from '@scratchnet/tensor';
import type { IOHandler, LoadedArtifacts, ModelArtifacts, SaveResult } from '../io/handler.js';
import { checkByteLimit, validateManifest, type ManifestLimits, type ModelManifest } from '../io/manifest.js';
import { ModelFormatError } from '../io/model-format-error.js';
import { ModelIOError } from '../io/model-io-error.js';
import { parseJson } from '../io/safe-json.js';
import { checkOptions } from '../options.js';

/** The part of an open file the handler uses; `node:fs/promises` FileHandles fit. */
export interface FileHandleLike {
  write(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesWritten: number }>;
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  /** `isFile` tells a regular file from a FIFO, directory or device; the other tests name which. */
  stat(): Promise<FileKind & { size: number }>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The part of `node:fs/promises` the handler uses. Pass another implementation (a wrapper that
 * fails on cue, a virtual file system) as `fileSystemHandler(dir, { fs })`.
 */
export interface FileSystemLike {
  /** `flags` is `'wx'` or `'r'` for directories, else a number (`O_RDONLY | O_NOFOLLOW | O_NONBLOCK`). */
  open(path: string, flags: string | number): Promise<FileHandleLike>;
  stat(path: string): Promise<{ isDirectory(): boolean }>;
  /** Creates one directory; its parent exists. */
  mkdir(path: string): Promise<unknown>;
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

/** What a file's stats say about its kind: only `isFile()` is required. */
export interface FileKind {
  isFile(): boolean;
  isDirectory?(): boolean;
  isFIFO?(): boolean;
  isSocket?(): boolean;
  isCharacterDevice?(): boolean;
  isBlockDevice?(): boolean;
}

/** The manifest's file name in a saved model's directory. */
export const MANIFEST_FILE = 'model.json';
const FS_METHODS = ['open', 'stat', 'mkdir', 'rename', 'unlink', 'rmdir', 'readdir'] as const;
/**
 * How the model's files are opened for reading. O_NOFOLLOW: a symbolic link is refused (ELOOP)
 * rather than followed out of the directory. O_NONBLOCK: opening a FIFO returns at once instead
 * of waiting, forever, for a writer (it changes nothing for regular files). The opened file is
 * then checked to be a regular file, on the handle, so nothing can be swapped in between. Where
 * the flags do not exist (Windows) they are 0: there are no FIFOs, and links are followed.
 */
const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);
/** Attempts at reading a manifest and the weights it names while saves keep replacing them. */
const LOAD_ATTEMPTS = 10;
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
 * the weights file's size against the manifest before allocating anything, then reads it. Both
 * must be regular files in `dir` itself: a symbolic link (wherever it points), a FIFO, a
 * directory or a device is refused with a ModelFormatError, without reading or waiting. A save
 * that replaces the model while it is read (the manifest's weights file deleted before it could
 * be opened) is retried from the manifest, up to 10 times, then reported as "changed while loading".
 */
export function fileSystemHandler(dir: string, options: FileSystemHandlerOptions = {}): IOHandler {
  if (typeof dir !== 'string' || dir === '') {
    throw new ModelIOError(`fileSystemHandler: dir must be a non-empty path, got ${dir === '' ? 'an empty string' : typeof dir}`);
  }
  const checked = checkHandlerOptions('fileSystemHandler', options);
  const fs = checked.fs ?? nodeFs;
  const root = resolve(dir);
  return {
    save: (artifacts) => saveToDirectory(fs, root, artifacts),
    load: () => loadFromDirectory(fs, root, checked),
  };
}

/** Checks `fileSystemHandler`'s options (and the same keys of `loadModel`'s), naming `where`. */
export function checkHandlerOptions(where: string, options: FileSystemHandlerOptions | undefined): FileSystemHandlerOptions {
  const o = checkOptions(where, options, ['fs', 'maxManifestBytes', 'maxWeightsBytes']);
  if (o.maxWeightsBytes !== undefined) checkByteLimit(where, 'maxWeightsBytes', o.maxWeightsBytes);
  if (o.maxManifestBytes !== undefined) checkByteLimit(where, 'maxManifestBytes', o.maxManifestBytes);
  if (o.fs !== undefined) {
    const fs = o.fs as unknown as Record<string, unknown> | null;
    const missing = fs === null || typeof fs !== 'object' ? [...FS_METHODS] : FS_METHODS.filter((m) => typeof fs[m] !== 'function');
    if (missing.length > 0) throw new ValueError(`${where}: fs must have the methods ${FS_METHODS.join(', ')}; missing ${missing.join(', ')}`);
  }
  return o;
}

/**
 * Checks that a model can be saved to `dir` — without saving one: creates the directories that
 * are missing, writes and deletes a temporary file there, then removes the directories it
 * created. Call it before a long training run that ends in a save. Throws a ModelIOError naming
 * the directory and the reason (not a directory, permission denied, a file system that refuses
 * new directories, such as /proc).
 */
export async function checkSaveDirectory(dir: string, options: Pick<FileSystemHandlerOptions, 'fs'> = {}): Promise<void> {
  if (typeof dir !== 'string' || dir === '') {
    throw new ModelIOError(`checkSaveDirectory: dir must be a non-empty path, got ${dir === '' ? 'an empty string' : typeof dir}`);
  }
  const fs = checkHandlerOptions('checkSaveDirectory', options).fs ?? nodeFs;
  const root = resolve(dir);
  const probe = join(root, `${MANIFEST_FILE}.${randomBytes(8).toString('hex')}.tmp`);
  let createdDir: string | undefined;
  const written: string[] = [];
  try {
    createdDir = await ensureDirectory(fs, root);
    written.push(probe);
    await writeFileDurably(fs, probe, new Uint8Array(0));
  } catch (error) {
    throw new ModelIOError(`saveModel: cannot save to ${root}: ${messageOf(error)}`, { cause: error });
  } finally {
    await removeQuietly(fs, written, createdDir, root);
  }
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

/**
 * Makes `dir` exist; returns the topmost directory it had to create, for undoing. Walks up to
 * the nearest existing ancestor, then creates each missing level with a plain mkdir. Not Node's
 * recursive mkdir: where mkdir fails with ENOENT under a parent that exists (/proc, some FUSE
 * file systems) it retries forever at 100 % CPU.
 */
async function ensureDirectory(fs: FileSystemLike, dir: string): Promise<string | undefined> {
  const missing: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    try {
      const stats = await fs.stat(d);
      if (!stats.isDirectory()) throw new ModelIOError(`${d} exists and is not a directory`);
      break;
    } catch (error) {
      if (codeOf(error) !== 'ENOENT') throw error;
    }
    if (dirname(d) === d) throw new ModelIOError(`the root ${d} does not exist`);
    missing.push(d);
  }
  missing.reverse();
  for (let i = 0; i < missing.length; i++) {
    try {
      await fs.mkdir(missing[i]!);
    } catch (error) {
      const code = codeOf(error);
      if (code === 'EEXIST' && (await fs.stat(missing[i]!)).isDirectory()) continue;
      // Remove the levels created so far, then say which one could not be made.
      for (let k = i - 1; k >= 0; k--) await fs.rmdir(missing[k]!).catch(() => undefined);
      const why = code === 'ENOENT' ? ' (the file system refuses new directories there)' : '';
      throw new ModelIOError(`cannot create directory ${missing[i]}: ${messageOf(error)}${why}`, { cause: error });
    }
  }
  return missing[0];
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
  // A save may replace the model between reading the manifest and opening the weights it names,
  // and then delete them. A weights file never changes once it has its name (a save writes a new
  // one), so a manifest and the file it names, both read, are a consistent pair: when the file is
  // gone, read the manifest again. If it names the same file, the file is missing; if saves keep
  // replacing it faster than it can be read, give up after LOAD_ATTEMPTS.
  const manifestPath = join(dir, MANIFEST_FILE);
  let previous: string | undefined;
  for (let attempt = 0; attempt < LOAD_ATTEMPTS; attempt++) {
    const manifest = await readManifest(fs, manifestPath, options);
    const weightsPath = join(dir, manifest.weightsFile);
    const weights = await readWeights(fs, weightsPath, manifest.weightsByteLength, manifestPath);
    if (weights !== 'missing') return { manifest, weights, sources: { manifest: manifestPath, weights: weightsPath } };
    if (manifest.weightsFile === previous) throw new ModelFormatError(weightsPath, undefined, `missing: ${manifestPath} names it as weightsFile`);
    previous = manifest.weightsFile;
  }
  throw new ModelIOError(
    `loadModel: the model in ${dir} changed while loading: ${LOAD_ATTEMPTS} times its weights file was replaced before it could be read (is another process saving to it in a loop?)`,
  );
}

async function readManifest(fs: FileSystemLike, path: string, options: FileSystemHandlerOptions): Promise<ModelManifest> {
  const maxBytes = options.maxManifestBytes ?? DEFAULT_MAX_MANIFEST_BYTES;
  const handle = await openRegularFile(fs, path);
  if (handle === 'missing') throw new ModelIOError(`loadModel: no ${MANIFEST_FILE} in ${dirname(path)}; is it a saved model?`);
  let bytes: Uint8Array;
  try {
    const { size } = await regularFileStats(handle, path);
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
  const limits = options.maxWeightsBytes === undefined ? {} : { maxWeightsBytes: options.maxWeightsBytes };
  return validateManifest(parseJson(text, path), path, limits);
}

async function readWeights(fs: FileSystemLike, path: string, declared: number, manifestPath: string): Promise<ArrayBuffer | 'missing'> {
  const handle = await openRegularFile(fs, path);
  if (handle === 'missing') return 'missing';
  try {
    // The size is checked before anything is allocated: a huge file costs nothing to refuse.
    const { size } = await regularFileStats(handle, path);
    if (size !== declared) {
      throw new ModelFormatError(path, undefined, `${size < declared ? 'truncated' : 'oversized'}: ${size} bytes, but ${manifestPath} declares weightsByteLength ${declared}`);
    }
    const bytes = await readExactly(handle, declared, path);
    return bytes.buffer as ArrayBuffer;
  } finally {
    await handle.close();
  }
}

/**
 * Opens one of the model's files for reading, refusing what a saved model never holds: a
 * symbolic link (it could lead out of the directory, and an error would then describe a file
 * outside it) and anything but a regular file (a FIFO would block the read forever).
 */
async function openRegularFile(fs: FileSystemLike, path: string): Promise<FileHandleLike | 'missing'> {
  let handle: FileHandleLike;
  try {
    handle = await fs.open(path, READ_FLAGS);
  } catch (error) {
    const code = codeOf(error);
    if (code === 'ENOENT') return 'missing';
    // ELOOP is Linux's and macOS's answer to O_NOFOLLOW on a link; EMLINK is FreeBSD's.
    if (code === 'ELOOP' || code === 'EMLINK') throw notRegular(path, 'a symbolic link');
    if (code === 'EISDIR') throw notRegular(path, 'a directory');
    if (code === 'ENXIO') throw notRegular(path, 'a socket or a device');
    throw new ModelIOError(`loadModel: cannot open ${path}: ${messageOf(error)}`, { cause: error });
  }
  return handle;
}

function notRegular(path: string, kind: string): ModelFormatError {
  return new ModelFormatError(
    path,
    undefined,
    `${kind}, not a regular file: a saved model's files are regular files in its directory (links are not followed, FIFOs and devices not read)`,
  );
}

/** The open file's stats, after checking on the handle itself that it is a regular file. */
async function regularFileStats(handle: FileHandleLike, path: string): Promise<{ size: number }> {
  let stats: FileKind & { size: number };
  try {
    stats = await handle.stat();
  } catch (error) {
    throw new ModelIOError(`loadModel: cannot read ${path}: ${messageOf(error)}`, { cause: error });
  }
  if (!stats.isFile()) throw notRegular(path, kindOf(stats));
  return stats;
}

function kindOf(stats: FileKind): string {
  if (stats.isDirectory?.()) return 'a directory';
  if (stats.isFIFO?.()) return 'a FIFO';
  if (stats.isSocket?.()) return 'a socket';
  if (stats.isCharacterDevice?.() || stats.isBlockDevice?.()) return 'a device';
  return 'something else';
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
