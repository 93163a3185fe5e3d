import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** This test package's directory. */
export const HERE = fileURLToPath(new URL('../../', import.meta.url));

/** The parts of a package.json these tests read. */
export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  license?: string;
  repository?: { type?: string; url?: string; directory?: string };
  homepage?: string;
  bugs?: { url?: string };
  keywords?: string[];
  engines?: { node?: string };
  files?: string[];
  sideEffects?: boolean | string[];
  exports?: Record<string, string | Record<string, string>>;
  typesVersions?: Record<string, Record<string, string[]>>;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** A package that `pnpm publish -r` would publish. */
export interface PublishedPackage {
  name: string;
  /** Path from the repository root, e.g. `packages/tensor`. */
  path: string;
  dir: string;
  manifest: Manifest;
}

/** Every non-private package under packages/: what a release publishes. */
export function publishedPackages(): PublishedPackage[] {
  return readdirSync(join(ROOT, 'packages'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const dir = join(ROOT, 'packages', entry.name);
      const manifest = readJson<Manifest>(join(dir, 'package.json'));
      return { name: manifest.name, path: `packages/${entry.name}`, dir, manifest };
    })
    .filter((pkg) => pkg.manifest.private !== true)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The import specifiers a package's `exports` map offers (`@scratchnet/model`, `@scratchnet/model/node`), not `./package.json`. */
export function entrySpecifiers(pkg: PublishedPackage): string[] {
  return Object.keys(pkg.manifest.exports ?? { '.': '' })
    .filter((subpath) => !subpath.endsWith('.json'))
    .map((subpath) => (subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`));
}

/** Parses a JSON file, naming the file when it is not JSON. */
export function readJson<T>(file: string): T {
  const text = readFileSync(file, 'utf8');
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message})`);
  }
}
