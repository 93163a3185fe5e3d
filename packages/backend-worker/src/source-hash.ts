import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * SHA-256 over the files under `srcDir` (sorted relative paths and contents): what a package's
 * build records in dist/source-hash.json (scripts/source-hash.mjs computes the same).
 */
export function sourceHash(srcDir: string): { hash: string; files: number } {
  const files: string[] = [];
  const walk = (dir: string): void => {
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
