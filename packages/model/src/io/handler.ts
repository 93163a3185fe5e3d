/**
 * What a saved model is, independent of where it is kept: the manifest (plain JSON, `model.json`)
 * and the weights file's bytes. Handlers move artifacts to and from a place — memory, a
 * directory — and the model code never learns which.
 */
export interface ModelArtifacts {
  /** The manifest as a JSON value; untrusted until `validateManifest` has checked it. */
  manifest: unknown;
  weights: ArrayBuffer;
}

/** Names for error messages: where the manifest and weights came from (file names or paths). */
export interface ArtifactSources {
  manifest: string;
  weights: string;
}

/** What a {@link LoadHandler} reads: the artifacts, and where they came from. */
export interface LoadedArtifacts extends ModelArtifacts {
  /** File names or paths for error messages; absent for artifacts from memory. */
  sources?: ArtifactSources;
}

/** What a save reports: where the model went and what the weights file holds. */
export interface SaveResult {
  /** Where the model went (a directory, or `memory`). */
  location: string;
  /** Name of the weights file the manifest points to (the file-system handler versions it: `weights.<id>.bin`). */
  weightsFile: string;
  /** Size of the weights file in bytes. */
  weightsByteLength: number;
  /** CRC-32 of the weights, 8 hex digits, as in the manifest. */
  checksum: string;
}

/**
 * Where `saveModel` writes: implement `save` to keep a model somewhere new (a server, a
 * database); `memoryHandler()` and `fileSystemHandler(dir)` are the built-in ones.
 */
export interface SaveHandler {
  /** Keeps `artifacts` (all or nothing: a failed save must leave no half-written model) and says where. */
  save(artifacts: ModelArtifacts): Promise<SaveResult>;
}

/** Where `loadModel` reads from: `load` returns the artifacts a {@link SaveHandler} kept. */
export interface LoadHandler {
  /** Reads the manifest and weights back; `loadModel` validates them, so this need not. */
  load(): Promise<LoadedArtifacts>;
}

/** A place a model can be saved to and loaded from. */
export interface IOHandler extends SaveHandler, LoadHandler {}
