import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { HERE, publishedPackages, readJson } from './support/workspace.js';

/**
 * Exports that had no doc comment when this check was written, in files other work was
 * rewriting at the time. The list may only shrink: a new undocumented export fails, and so does
 * an entry here that has since been documented (or removed), so the list stays exact.
 */
const KNOWN_UNDOCUMENTED = readJson<Record<string, string[]>>(join(HERE, 'undocumented-exports.json'));

interface Entry {
  specifier: string;
  packageDir: string;
  file: string;
}

/** Every public entry of every published package, as its source file (the `@scratchnet/source` condition). */
function entries(): Entry[] {
  return publishedPackages().flatMap((pkg) =>
    Object.entries(pkg.manifest.exports ?? {}).flatMap(([subpath, target]) => {
      if (typeof target === 'string') return [];
      const source = target['@scratchnet/source'];
      if (source === undefined) throw new Error(`${pkg.name}: exports["${subpath}"] has no @scratchnet/source condition`);
      return [{ specifier: subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`, packageDir: pkg.dir, file: join(pkg.dir, source) }];
    }),
  );
}

/**
 * `specifier: name` for each export declared in the entry's own package that has no doc comment.
 * Re-exports of another package's declarations (the umbrella's) are that package's to document.
 */
function undocumented(): Record<string, string[]> {
  const all = entries();
  const program = ts.createProgram(
    all.map((entry) => entry.file),
    {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      customConditions: ['@scratchnet/source'],
      types: ['node'],
      typeRoots: [join(HERE, 'node_modules', '@types')],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
    },
  );
  const checker = program.getTypeChecker();
  const result: Record<string, string[]> = {};
  for (const entry of all) {
    const sourceFile = program.getSourceFile(entry.file);
    const moduleSymbol = sourceFile === undefined ? undefined : checker.getSymbolAtLocation(sourceFile);
    if (moduleSymbol === undefined) throw new Error(`${entry.specifier}: cannot read ${entry.file}`);
    const missing: string[] = [];
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const declarations = symbol.declarations ?? [];
      const own = declarations.some((d) => !relative(entry.packageDir, d.getSourceFile().fileName).startsWith('..'));
      if (!own) continue;
      if (!symbol.getDocumentationComment(checker).some((part) => part.text.trim() !== '')) missing.push(exported.name);
    }
    if (missing.length > 0) result[entry.specifier] = missing.sort();
  }
  return result;
}

function difference(a: Record<string, string[]>, b: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [specifier, names] of Object.entries(a)) {
    const extra = names.filter((name) => !(b[specifier] ?? []).includes(name));
    if (extra.length > 0) out[specifier] = extra;
  }
  return out;
}

describe('doc comments', () => {
  const found = undocumented();

  it('every public export of every package has a doc comment (new offenders, by entry)', () => {
    expect(difference(found, KNOWN_UNDOCUMENTED)).toEqual({});
  });

  it('the list of known offenders is exact: remove the ones documented since', () => {
    expect(difference(KNOWN_UNDOCUMENTED, found)).toEqual({});
  });

  it('the check reads real exports and sees doc comments', () => {
    const count = entries().length;
    expect(count).toBeGreaterThanOrEqual(9);
    const manifest = readFileSync(join(HERE, 'undocumented-exports.json'), 'utf8');
    expect(JSON.parse(manifest)).toEqual(KNOWN_UNDOCUMENTED);
    // `Tensor` and `matmul` are documented; if the check could not see comments, they would show.
    expect(found['@scratchnet/tensor'] ?? []).not.toContain('Tensor');
    expect(found['@scratchnet/backend'] ?? []).not.toContain('matmul');
  });
});
