import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BackendError } from '@scratchnet/backend';
import { sourceHash } from '../src/source-hash.js';
import { findStaleBuild } from '../src/stale-build.js';

const script = new URL('../../../scripts/source-hash.mjs', import.meta.url).pathname;

describe('workers never run a stale build', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function fakePackage(): string {
    dir = mkdtempSync(path.join(tmpdir(), 'scratchnet-stale-'));
    mkdirSync(path.join(dir, 'src', 'kernels'), { recursive: true });
    mkdirSync(path.join(dir, 'dist'));
    writeFileSync(path.join(dir, 'src', 'index.ts'), "export * from './kernels/unary.js';\n");
    writeFileSync(path.join(dir, 'src', 'kernels', 'unary.ts'), 'export const relu = (v: number) => (v <= 0 ? 0 : v);\n');
    execFileSync(process.execPath, [script, dir]);
    return dir;
  }

  it('the build record (scripts/source-hash.mjs) and the check hash sources the same way', () => {
    const pkg = fakePackage();
    const record = JSON.parse(readFileSync(path.join(pkg, 'dist', 'source-hash.json'), 'utf8')) as { hash: string; files: number };
    expect(record).toMatchObject(sourceHash(path.join(pkg, 'src')));
    expect(record.files).toBe(2);
  });

  it('passes a current build, names the package and says to rebuild when a source changed since', () => {
    const pkg = fakePackage();
    expect(findStaleBuild([{ name: '@scratchnet/backend-cpu', dir: pkg }])).toBeNull();
    writeFileSync(path.join(pkg, 'src', 'kernels', 'unary.ts'), 'export const relu = (v: number) => Math.max(0, v);\n');
    const error = findStaleBuild([{ name: '@scratchnet/backend-cpu', dir: pkg }]);
    expect(error).toBeInstanceOf(BackendError);
    expect(error!.message).toMatch(/the built @scratchnet\/backend-cpu \(dist\/\) is older than its sources .* stale kernels; rebuild it: pnpm build/);
  });

  it('asks for a build when there are sources but no build record, and skips a package without sources', () => {
    const pkg = fakePackage();
    rmSync(path.join(pkg, 'dist', 'source-hash.json'));
    expect(findStaleBuild([{ name: '@scratchnet/backend', dir: pkg }])!.message).toMatch(/has sources but no build record/);
    rmSync(path.join(pkg, 'src'), { recursive: true });
    expect(findStaleBuild([{ name: '@scratchnet/backend', dir: pkg }, { name: 'missing', dir: null }])).toBeNull();
  });
});
