import type { ModelArtifacts, SaveHandler, SaveResult } from '../io/handler.js';
import { ModelIOError } from '../io/model-io-error.js';
import { checkOptions, describeValue } from '../options.js';

/** Hands one file to the user: by default a browser download. */
export type DownloadFile = (fileName: string, bytes: Uint8Array, mimeType: string) => void | Promise<void>;

/** Options of `browserDownloads`. */
export interface BrowserDownloadsOptions {
  /** Replaces the browser download (to zip the files, send them elsewhere, or test). */
  download?: DownloadFile;
}

// The manifest's own rule for weightsFile, so the downloaded pair loads back by name.
const PREFIX_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/**
 * Saves a model as two downloads: `<prefix>.json`, the manifest, and `<prefix>.weights.bin`,
 * which the manifest names — the pair `browserFiles` loads back. Without a `download` option it
 * needs a page (`document`): each file becomes a Blob URL clicked through a hidden link.
 */
export function browserDownloads(prefix = 'model', options: BrowserDownloadsOptions = {}): SaveHandler {
  if (typeof prefix !== 'string' || !PREFIX_PATTERN.test(prefix)) {
    throw new ModelIOError(`browserDownloads: prefix must be a plain file name (letters, digits, . _ -), got ${describeValue(prefix)}`);
  }
  const o = checkOptions('browserDownloads', options, ['download']);
  if (o.download !== undefined && typeof o.download !== 'function') {
    throw new ModelIOError(`browserDownloads: download must be a function, got ${describeValue(o.download)}`);
  }
  const download = o.download ?? clickDownload;
  return {
    async save(artifacts: ModelArtifacts): Promise<SaveResult> {
      const weightsFile = `${prefix}.weights.bin`;
      const manifest = { ...(artifacts.manifest as { checksum: { value: string } }), weightsFile };
      const text = `${JSON.stringify(manifest, null, 1)}\n`;
      try {
        await download(`${prefix}.json`, new TextEncoder().encode(text), 'application/json');
        await download(weightsFile, new Uint8Array(artifacts.weights), 'application/octet-stream');
      } catch (error) {
        throw new ModelIOError(`saveModel: cannot download ${prefix}.json and ${weightsFile}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      return { location: 'downloads', weightsFile, weightsByteLength: artifacts.weights.byteLength, checksum: manifest.checksum.value };
    },
  };
}

/** The parts of a page a download needs, declared here so the package needs no DOM types. */
interface PageLike {
  document?: {
    createElement(tag: 'a'): { href: string; download: string; click(): void };
  };
  URL: { createObjectURL(blob: Blob): string; revokeObjectURL(url: string): void };
}

function clickDownload(fileName: string, bytes: Uint8Array, mimeType: string): void {
  const page = globalThis as unknown as PageLike;
  if (page.document === undefined || typeof page.URL?.createObjectURL !== 'function') {
    throw new ModelIOError('browserDownloads: downloads need a page (document); elsewhere pass { download: (fileName, bytes) => … }');
  }
  const url = page.URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mimeType }));
  const link = page.document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // The click starts the download synchronously; the URL is only needed until then.
  setTimeout(() => page.URL.revokeObjectURL(url), 0);
}
