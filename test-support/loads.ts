import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

/**
 * Registers tests proving a package's *built* entries load in plain Node, with `import` and with
 * `require()` (Node >= 20.19 can require ESM), through the package's own `exports` map (a
 * self-reference resolves exactly as a user's install would), and expose `names`.
 */
export function itLoadsInNode(packageDir: string, entries: Record<string, string[]>): void {
  const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { name: string };
  for (const [subpath, names] of Object.entries(entries)) {
    const specifier = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.replace(/^\.\//, '')}`;
    const check = `const missing = ${JSON.stringify(names)}.filter((n) => !(n in m)); if (missing.length) { console.error('missing: ' + missing.join(', ')); process.exit(3); }`;
    it(`${specifier} loads with import`, () => {
      const code = `const m = await import(${JSON.stringify(specifier)}); ${check}`;
      expect(() => execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: packageDir, stdio: 'pipe' })).not.toThrow();
    });
    it(`${specifier} loads with require()`, () => {
      const code = `const m = require(${JSON.stringify(specifier)}); ${check}`;
      expect(() =>
        execFileSync(process.execPath, ['--no-warnings', '-e', code], { cwd: packageDir, stdio: 'pipe' }),
      ).not.toThrow();
    });
  }
}
