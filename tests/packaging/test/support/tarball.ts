import { execFileSync } from 'node:child_process';
import type { Manifest } from './workspace.js';

/** The paths inside a tarball, without the leading `package/`. */
export function tarballFiles(tarball: string): string[] {
  return execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.replace(/^package\//, ''));
}

/** One file of a tarball, as text. */
export function tarballText(tarball: string, path: string): string {
  return execFileSync('tar', ['-xzOf', tarball, `package/${path}`], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** The package.json a user's install sees. */
export function packedManifest(tarball: string): Manifest {
  return JSON.parse(tarballText(tarball, 'package.json')) as Manifest;
}
