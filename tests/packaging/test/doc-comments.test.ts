import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { HERE, publishedPackages } from './support/workspace.js';

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

function hasDoc(symbol: ts.Symbol, checker: ts.TypeChecker): boolean {
  return symbol.getDocumentationComment(checker).some((part) => part.text.trim() !== '');
}

/**
 * `specifier: [name, …]` for each export declared in the entry's own package that has no doc
 * comment, and `Interface.field` for each undocumented field of an exported `…Options` type
 * (fields it inherits included: a user reads them on that type's page). Re-exports of another
 * package's declarations (the umbrella's) are that package's to document.
 */
function undocumented(all: readonly Entry[]): Record<string, string[]> {
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
      if (!hasDoc(symbol, checker)) missing.push(exported.name);
      if (exported.name.endsWith('Options') && symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias)) {
        for (const field of checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol))) {
          const ours = (field.declarations ?? []).some((d) => !d.getSourceFile().isDeclarationFile);
          if (ours && !hasDoc(field, checker)) missing.push(`${exported.name}.${field.name}`);
        }
      }
    }
    if (missing.length > 0) result[entry.specifier] = missing.sort();
  }
  return result;
}

describe('doc comments', () => {
  it('every public export of every package has a doc comment, and every field of an …Options type (missing, by entry)', () => {
    const all = entries();
    expect(all.length).toBeGreaterThanOrEqual(9);
    expect(undocumented(all)).toEqual({});
  });

  it('the check finds exactly the undocumented exports and option fields of a fixture', () => {
    const dir = join(HERE, 'fixtures', 'doc-comments');
    const fixture = { specifier: 'fixture', packageDir: dir, file: join(dir, 'index.ts') };
    // `documented`, `WidgetOptions.size` and `WidgetResult.area` (not an options type) pass;
    // `helper` is re-exported from its own package, so it counts.
    expect(undocumented([fixture])).toEqual({ fixture: ['WidgetOptions.color', 'helper', 'undocumentedConst'] });
  });
});
