import { cpSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { cleanEnv, pnpmCommand, runOk } from './support/run.js';
import { HERE, publishedPackages } from './support/workspace.js';

/** What the setup hands every test file (through vitest's `inject`). */
export interface Installed {
  /** The user's project: the tarballs installed by npm, the fixture programs beside them. */
  app: string;
  /** Package name → its packed tarball. */
  tarballs: Record<string, string>;
  /** What `npm install` printed (stdout and stderr). */
  npmOutput: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    installed: Installed;
  }
}

/**
 * Packs every published package with pnpm (as `pnpm publish` would: `workspace:^` becomes a
 * caret range) and installs all the tarballs, from files only (`--offline`), into a fresh
 * project with npm — the way a user's install sees them. Runs once for all test files.
 */
export default function setup(project: TestProject): () => void {
  const work = mkdtempSync(join(tmpdir(), 'scratchnet-tarballs-'));
  const packs = join(work, 'tarballs');
  const app = join(work, 'app');
  mkdirSync(packs);
  const pnpm = pnpmCommand();
  const tarballs: Record<string, string> = {};
  for (const pkg of publishedPackages()) {
    const before = new Set(readdirSync(packs));
    runOk(pnpm.command, [...pnpm.prefix, 'pack', '--pack-destination', packs], { cwd: pkg.dir, env: cleanEnv() });
    const added = readdirSync(packs).filter((file) => !before.has(file));
    if (added.length !== 1) throw new Error(`pnpm pack in ${pkg.path} made ${added.length} tarballs: ${added.join(', ')}`);
    tarballs[pkg.name] = join(packs, added[0]!);
  }

  cpSync(join(HERE, 'fixtures'), app, { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'user-app', version: '1.0.0', private: true, type: 'module' }, null, 2));
  const npm = runOk(
    'npm',
    ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--cache', join(work, 'npm-cache'), ...Object.values(tarballs)],
    { cwd: app, timeoutMs: 120_000 },
  );
  // A Node user's TypeScript setup has @types/node; npm cannot fetch it offline, so it is linked in.
  mkdirSync(join(app, 'node_modules', '@types'), { recursive: true });
  symlinkSync(realpathSync(join(HERE, 'node_modules', '@types', 'node')), join(app, 'node_modules', '@types', 'node'), 'dir');

  project.provide('installed', { app, tarballs, npmOutput: npm.stdout + npm.stderr });
  return () => rmSync(work, { recursive: true, force: true });
}
