import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('opens with a ten-line example', () => {
    const opening = /^# scratchnet\n\n[^`]*```js\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(opening).toBeDefined();
    expect(opening!.trimEnd().split('\n')).toHaveLength(10);
  });

  it('the example runs against the built package and prints what the README shows', () => {
    const example = /```js\n([\s\S]*?)```/.exec(readme)![1]!;
    const printed = /\nSaved as [^\n]*prints\n\n```text\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(printed).toBeDefined();
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', example], { cwd: packageDir, encoding: 'utf8' });
    expect(out).toBe(printed);
  });
});
