import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { run } from './support/run.js';
import { entrySpecifiers, HERE, publishedPackages } from './support/workspace.js';

const { tarballs } = inject('installed');
const bin = (name: string): string => join(HERE, 'node_modules', '.bin', name);

describe.each(publishedPackages())('$name tarball', (pkg) => {
  const tarball = tarballs[pkg.name]!;

  it('publint --strict: all good', () => {
    const result = run(bin('publint'), ['run', tarball, '--strict'], { cwd: HERE });
    expect(result.stdout + result.stderr).toMatch(/All good!/);
    expect(result.status, result.stdout + result.stderr).toBe(0);
  });

  // One rule is set aside, by design: the packages are ESM-only, and attw (whose bundled
  // TypeScript predates require(esm)) flags every require() of them. Node >= 20.19 (our
  // `engines`) and TypeScript >= 5.8 under `nodenext` allow it; runtime.test.ts and
  // types.test.ts prove both. node10, node16 from ESM and bundler are checked in full.
  it('@arethetypeswrong/cli: no problems for node10, node16 and bundler, on every entry', () => {
    const result = run(bin('attw'), [tarball, '--ignore-rules', 'cjs-resolves-to-esm', '--format', 'ascii', '--no-emoji', '--no-color'], { cwd: HERE });
    const output = result.stdout + result.stderr;
    expect(result.status, output).toBe(0);
    expect(output).toMatch(/No problems found/);
    for (const specifier of entrySpecifiers(pkg)) {
      const section = new RegExp(`"${specifier.replace(/[/.]/g, '\\$&')}"\\n\\nnode10: OK[^\\n]*\\nnode16 \\(from CJS\\): OK[^\\n]*\\nnode16 \\(from ESM\\): OK[^\\n]*\\nbundler: OK`);
      expect(output, specifier).toMatch(section);
    }
  });
});
