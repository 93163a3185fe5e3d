import { isDetached } from '@scratchnet/tensor';
import type { IOHandler, LoadedArtifacts, ModelArtifacts, SaveResult } from './handler.js';
import { ModelIOError } from './model-io-error.js';

/** An IOHandler that keeps the artifacts in memory; `artifacts` is what the last save produced. */
export interface MemoryHandler extends IOHandler {
  readonly artifacts: ModelArtifacts | undefined;
}

/**
 * Saves to and loads from memory: the manifest as a JSON object and the weights as an
 * `ArrayBuffer` — nothing Node-specific, so it works in a browser (post the artifacts to a
 * worker, put them in IndexedDB, send them with `fetch`). Pass artifacts to load them.
 *
 * Both directions copy: the manifest goes through JSON text exactly as a file would, and the
 * buffer is duplicated, so later changes to either side never reach the other.
 */
export function memoryHandler(initial?: { manifest: unknown; weights: ArrayBuffer | ArrayBufferView }): MemoryHandler {
  let stored: ModelArtifacts | undefined = initial === undefined ? undefined : { manifest: initial.manifest, weights: copyBytes(initial.weights) };
  return {
    get artifacts(): ModelArtifacts | undefined {
      return stored;
    },
    async save(artifacts: ModelArtifacts): Promise<SaveResult> {
      const manifest = JSON.parse(JSON.stringify(artifacts.manifest)) as { weightsFile: string; checksum: { value: string } };
      stored = { manifest, weights: copyBytes(artifacts.weights) };
      return {
        location: 'memory',
        weightsFile: manifest.weightsFile,
        weightsByteLength: artifacts.weights.byteLength,
        checksum: manifest.checksum.value,
      };
    },
    async load(): Promise<LoadedArtifacts> {
      if (stored === undefined) throw new ModelIOError('memoryHandler: nothing to load; save a model to this handler first or pass artifacts');
      return { manifest: stored.manifest, weights: copyBytes(stored.weights) };
    },
  };
}

function copyBytes(weights: ArrayBuffer | ArrayBufferView): ArrayBuffer {
  const buffer = weights instanceof ArrayBuffer ? weights : ArrayBuffer.isView(weights) ? weights.buffer : undefined;
  if (buffer !== undefined && isDetached(buffer)) {
    throw new ModelIOError('memoryHandler: the weights buffer is detached (transferred to a worker or by transfer()), so its bytes are gone; keep a copy before transferring');
  }
  if (weights instanceof ArrayBuffer) return weights.slice(0);
  if (ArrayBuffer.isView(weights)) {
    const out = new ArrayBuffer(weights.byteLength);
    new Uint8Array(out).set(new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength));
    return out;
  }
  throw new ModelIOError(`memoryHandler: weights must be an ArrayBuffer or a typed array, got ${weights === null ? 'null' : typeof weights}`);
}
