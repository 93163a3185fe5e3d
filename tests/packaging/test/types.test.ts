import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { run } from './support/run.js';
import { HERE } from './support/workspace.js';

const { app } = inject('installed');
const tsc = join(HERE, 'node_modules', 'typescript', 'bin', 'tsc');

// Each project in fixtures/types imports the installed packages with skipLibCheck off, so our
// .d.ts files are checked as strictly as the user's code, and holds @ts-expect-error lines
// that only pass while the types are real (an `any` would make them unused, an error).
describe.each([
  ['nodenext', 'Node ESM and CommonJS (require of ESM), every entry'],
  ['bundler', 'a browser app: isomorphic entries only, no @types/node'],
  ['node10', 'moduleResolution node10: subpaths through typesVersions'],
])('TypeScript strict, %s', (project, what) => {
  it(`type-checks ${what}`, () => {
    const result = run(process.execPath, [tsc, '-p', join('types', project, 'tsconfig.json')], { cwd: app });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
