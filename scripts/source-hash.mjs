#!/usr/bin/env node
// Records which sources a package's dist/ was built from: `node scripts/source-hash.mjs <package
// dir>` writes <package dir>/dist/source-hash.json with a SHA-256 over src/ (sorted relative
// paths and contents). @scratchnet/backend-worker compares it with the sources beside the build
// before starting threads, so workers never run kernels older than their source. The hash must
// stay the one in packages/backend-worker/src/source-hash.ts (a test there compares the two).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function sourceHash(srcDir) {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) files.push(path.relative(srcDir, full).split(path.sep).join('/'));
    }
  };
  walk(srcDir);
  files.sort();
  const hash = createHash('sha256');
  for (const file of files) hash.update(file).update('\0').update(readFileSync(path.join(srcDir, file))).update('\0');
  return { hash: hash.digest('hex'), files: files.length };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const pkg = path.resolve(process.argv[2] ?? '.');
  const record = { algorithm: 'sha256 over sorted src/ paths and contents', ...sourceHash(path.join(pkg, 'src')) };
  writeFileSync(path.join(pkg, 'dist', 'source-hash.json'), JSON.stringify(record, null, 2) + '\n');
}
