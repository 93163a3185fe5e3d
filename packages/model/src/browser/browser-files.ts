import type { LoadedArtifacts, LoadHandler } from '../io/handler.js';
import { checkByteLimit, validateManifest } from '../io/manifest.js';
import { ModelFormatError } from '../io/model-format-error.js';
import { ModelIOError } from '../io/model-io-error.js';
import { parseJson } from '../io/safe-json.js';
import { checkOptions, describeValue } from '../options.js';

/** What the loader reads of a chosen file: a browser `File` fits (and Node's, since Node 20). */
export interface FileLike {
  readonly name: string;
  readonly size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** Options of `browserFiles`. */
export interface BrowserFilesOptions {
  /** Largest manifest to read; default 64 MiB (a manifest is a few KB per layer). */
  maxManifestBytes?: number;
  /** Largest weights file to read; default 2 GiB. */
  maxWeightsBytes?: number;
}

const DEFAULT_MAX_MANIFEST_BYTES = 64 * 2 ** 20;

/**
 * Loads a model from files the user chose (`<input type="file" multiple>`, a drop): the `.json`
 * manifest and the weights file it names. Sizes are checked before anything is read, and
 * `loadModel` validates the rest, so a file that is not a scratchnet model is a
 * `ModelFormatError` naming it. A lone file is taken as the manifest whatever its name.
 *
 * A browser that renamed a download (`model.weights (1).bin`) breaks the name the manifest
 * gives; when exactly one other file was chosen it is taken as the weights instead — the
 * manifest's size and CRC-32 still refuse any file that is not the one it was saved with.
 */
export function browserFiles(files: ArrayLike<FileLike> | Iterable<FileLike>, options: BrowserFilesOptions = {}): LoadHandler {
  const o = checkOptions('browserFiles', options, ['maxManifestBytes', 'maxWeightsBytes']);
  const maxManifestBytes = o.maxManifestBytes === undefined ? DEFAULT_MAX_MANIFEST_BYTES : checkByteLimit('browserFiles', 'maxManifestBytes', o.maxManifestBytes);
  const limits = o.maxWeightsBytes === undefined ? {} : { maxWeightsBytes: checkByteLimit('browserFiles', 'maxWeightsBytes', o.maxWeightsBytes) };
  const list = files !== null && typeof files === 'object' ? Array.from(files as ArrayLike<FileLike>) : undefined;
  if (list === undefined) throw new ModelIOError(`browserFiles: files must be a list of files (an input's files), got ${describeValue(files)}`);
  list.forEach((file, i) => {
    if (file === null || typeof file !== 'object' || typeof file.name !== 'string' || typeof file.arrayBuffer !== 'function' || typeof file.size !== 'number') {
      throw new ModelIOError(`browserFiles: files[${i}] is not a file (it needs name, size and arrayBuffer()), got ${describeValue(file)}`);
    }
  });
  return {
    async load(): Promise<LoadedArtifacts> {
      const manifestFile = pickManifest(list);
      if (manifestFile.size > maxManifestBytes) {
        throw new ModelFormatError(manifestFile.name, undefined, `${manifestFile.size} bytes is more than the ${maxManifestBytes} a manifest may have (maxManifestBytes)`);
      }
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(await read(manifestFile));
      } catch (error) {
        if (error instanceof ModelIOError) throw error;
        throw new ModelFormatError(manifestFile.name, undefined, 'not UTF-8 text', { cause: error });
      }
      const manifest = validateManifest(parseJson(text, manifestFile.name), manifestFile.name, limits);
      const others = list.filter((f) => f !== manifestFile);
      const weightsFile = others.find((f) => f.name === manifest.weightsFile) ?? (others.length === 1 ? others[0] : undefined);
      if (weightsFile === undefined) {
        const chosen = others.length === 0 ? 'no other file was chosen' : `the others are ${others.map((f) => f.name).join(', ')}`;
        throw new ModelIOError(`loadModel: ${manifestFile.name} names its weights file ${manifest.weightsFile}; choose it too (${chosen})`);
      }
      // Refused before reading: nothing larger than the manifest declares is allocated.
      if (weightsFile.size !== manifest.weightsByteLength) {
        const what = weightsFile.size < manifest.weightsByteLength ? 'truncated' : 'oversized';
        throw new ModelFormatError(weightsFile.name, undefined, `${what}: ${weightsFile.size} bytes, but ${manifestFile.name} declares weightsByteLength ${manifest.weightsByteLength}`);
      }
      return { manifest, weights: await read(weightsFile), sources: { manifest: manifestFile.name, weights: weightsFile.name } };
    },
  };
}

function pickManifest(files: readonly FileLike[]): FileLike {
  if (files.length === 0) throw new ModelIOError('loadModel: no file chosen; choose the model.json and the weights file it names');
  const json = files.filter((f) => f.name.toLowerCase().endsWith('.json'));
  if (json.length > 1) throw new ModelIOError(`loadModel: choose one manifest, got ${json.length} .json files (${json.map((f) => f.name).join(', ')})`);
  if (json.length === 1) return json[0]!;
  if (files.length === 1) return files[0]!;
  throw new ModelIOError(`loadModel: no .json manifest among the chosen files (${files.map((f) => f.name).join(', ')})`);
}

async function read(file: FileLike): Promise<ArrayBuffer> {
  try {
    return await file.arrayBuffer();
  } catch (error) {
    throw new ModelIOError(`loadModel: cannot read ${file.name}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
