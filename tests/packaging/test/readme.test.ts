import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { programSource, readmePrograms, splitOutput } from './support/readme-programs.js';
import { run } from './support/run.js';
import { ROOT } from './support/workspace.js';

const { app } = inject('installed');

// The READMEs a newcomer reads first; their examples run against the installed tarballs, in the
// user's project, and must print exactly what the README shows.
describe.each(['README.md', 'packages/scratchnet/README.md'])('%s', (readme) => {
  const programs = readmePrograms(readFileSync(join(ROOT, readme), 'utf8'));

  it('has examples', () => {
    expect(programs.length).toBeGreaterThan(0);
  });

  it.each(programs.map((blocks, i) => [i + 1, blocks[0]!.line, blocks] as const))('example %i (line %i) prints what the README shows', (n, _line, blocks) => {
    const file = `readme-${readme.replace(/\W/g, '-')}-${n}.mjs`;
    writeFileSync(join(app, file), programSource(blocks));
    const result = run(process.execPath, [file], { cwd: app });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const printed = splitOutput(result.stdout);
    expect(printed).toHaveLength(blocks.length);
    blocks.forEach((block, i) => expect(printed[i], `the block at line ${block.line}`).toBe(block.prints ?? ''));
  });
});
