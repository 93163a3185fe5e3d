import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { packedManifest, tarballFiles, tarballText } from './support/tarball.js';
import { HERE, publishedPackages, readJson, ROOT, type Manifest } from './support/workspace.js';

const { tarballs, npmOutput } = inject('installed');
const packages = publishedPackages();
const license = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
const REPOSITORY = 'git+https://github.com/scratchnet/scratchnet.git';

describe('the workspace', () => {
  it('every published package is packed, and is a devDependency here so turbo builds it before these tests', () => {
    const devDependencies = readJson<Manifest>(join(HERE, 'package.json')).devDependencies ?? {};
    const missing = packages.filter((pkg) => devDependencies[pkg.name] === undefined).map((pkg) => pkg.name);
    expect(missing, 'add these to tests/packaging/package.json devDependencies as "workspace:^"').toEqual([]);
    expect(Object.keys(tarballs).sort()).toEqual(packages.map((pkg) => pkg.name).sort());
  });

  it('the root LICENSE is MIT, copyright the scratchnet authors', () => {
    expect(license).toMatch(/^MIT License\n\nCopyright \(c\) 2026 the scratchnet authors\n/);
  });

  it('npm installs all the tarballs from files alone, with no warning', () => {
    expect(npmOutput).toMatch(/added \d+ packages?/);
    expect(npmOutput).not.toMatch(/\bwarn/i);
  });
});

describe.each(packages)('$name as packed', (pkg) => {
  const tarball = tarballs[pkg.name]!;
  const manifest = packedManifest(tarball);
  const files = tarballFiles(tarball);

  it('ships the LICENSE, identical to the root one, and declares MIT', () => {
    expect(manifest.license).toBe('MIT');
    expect(manifest.files).toContain('LICENSE');
    expect(files).toContain('LICENSE');
    expect(tarballText(tarball, 'LICENSE')).toBe(license);
  });

  it('says where it comes from: repository (with its directory), homepage, bugs, keywords, engines', () => {
    expect(manifest.repository).toEqual({ type: 'git', url: REPOSITORY, directory: pkg.path });
    expect(manifest.homepage).toBe(`https://github.com/scratchnet/scratchnet/tree/main/${pkg.path}#readme`);
    expect(manifest.bugs).toEqual({ url: 'https://github.com/scratchnet/scratchnet/issues' });
    expect(manifest.keywords?.length ?? 0).toBeGreaterThanOrEqual(3);
    expect(manifest.engines?.node).toBe('>=20.19');
  });

  it('depends on its siblings by caret range of the released version, never an exact pin or workspace:', () => {
    for (const field of ['dependencies', 'devDependencies', 'peerDependencies'] as const) {
      for (const [name, range] of Object.entries(manifest[field] ?? {})) {
        expect(range, `${field}.${name}`).not.toMatch(/^workspace:/);
        if (name === 'scratchnet' || name.startsWith('@scratchnet/')) {
          expect(range, `${field}.${name}`).toBe(`^${manifest.version}`);
        }
      }
    }
  });

  it('has no runtime dependency outside scratchnet and no install script', () => {
    const outside = Object.keys(manifest.dependencies ?? {}).filter((name) => name !== 'scratchnet' && !name.startsWith('@scratchnet/'));
    expect(outside).toEqual([]);
    for (const script of ['preinstall', 'install', 'postinstall', 'prepare']) expect(manifest.scripts?.[script], script).toBeUndefined();
  });

  it('ships a README, the built dist/ with a .d.ts beside every entry, and no tests', () => {
    expect(files).toContain('README.md');
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      if (typeof target === 'string') continue;
      for (const [condition, path] of Object.entries(target)) {
        expect(files, `exports["${subpath}"].${condition}`).toContain(path.replace(/^\.\//, ''));
      }
    }
    expect(files.filter((file) => /(^|\/)test\/|\.test\.[cm]?[jt]s$/.test(file))).toEqual([]);
  });

  it('has one .d.ts per source file, each with a map back to it (no hashed chunk declarations)', () => {
    const declarations = files.filter((file) => file.endsWith('.d.ts'));
    expect(declarations).toContain('dist/index.d.ts');
    for (const declaration of declarations) {
      const source = declaration.replace(/^dist\//, 'src/').replace(/\.d\.ts$/, '.ts');
      expect(files, `${declaration} has no source`).toContain(source);
      expect(files, `${declaration} has no declaration map`).toContain(`${declaration}.map`);
    }
  });

  it('lets node10 resolution find every subpath export through typesVersions', () => {
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      if (subpath === '.' || typeof target === 'string') continue;
      const mapped = manifest.typesVersions?.['*']?.[subpath.slice(2)];
      expect(mapped, `typesVersions["*"]["${subpath.slice(2)}"]`).toEqual([target.types]);
    }
  });
});
