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

export interface LoadedArtifacts extends ModelArtifacts {
  sources?: ArtifactSources;
}

export interface SaveResult {
  /** Where the model went (a directory, or `memory`). */
  location: string;
  weightsFile: string;
  weightsByteLength: number;
  /** CRC-32 of the weights, 8 hex digits, as in the manifest. */
  checksum: string;
}

export interface SaveHandler {
  save(artifacts: ModelArtifacts): Promise<SaveResult>;
}

export interface LoadHandler {
  load(): Promise<LoadedArtifacts>;
}

/** A place a model can be saved to and loaded from. */
export interface IOHandler extends SaveHandler, LoadHandler {}
