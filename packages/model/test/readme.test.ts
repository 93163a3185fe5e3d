import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('"A layer of your own" runs as written against the built packages and prints what the README shows', () => {
    const section = /## A layer of your own\n([\s\S]*?)\n## /.exec(readme)?.[1];
    const example = section && /```js\n([\s\S]*?)```/.exec(section)?.[1];
    const printed = section && /\nprints\n\n```\n([\s\S]*?)```/.exec(section)?.[1];
    expect(example).toBeDefined();
    expect(printed).toBeDefined();
    // The class itself is about 20 lines.
    const classLines = /\nclass Scale[\s\S]*?\n}\n/.exec(example!)![0].trim().split('\n').length;
    expect(classLines).toBeLessThanOrEqual(22);
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', example!], { cwd: packageDir, encoding: 'utf8' });
    expect(out).toBe(printed);
  });
});
