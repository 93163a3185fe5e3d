import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findCycles, importGraph } from '../../../test-support/import-cycles.js';

describe('import graph', () => {
  for (const pkg of ['model', 'layers']) {
    it(`@scratchnet/${pkg} has no run-time import cycle`, () => {
      const graph = importGraph(fileURLToPath(new URL(`../../${pkg}/src`, import.meta.url)));
      expect(graph.size).toBeGreaterThan(10);
      expect(findCycles(graph)).toEqual([]);
    });
  }

  it('Sequential reaches saving but not loading (which builds Sequentials)', () => {
    const graph = importGraph(fileURLToPath(new URL('../src', import.meta.url)));
    expect(graph.get('sequential.ts')).toContain('io/save-model.ts');
    expect(graph.get('io/model-artifacts.ts')).toContain('sequential.ts');
    expect(graph.get('io/model-to-artifacts.ts')).not.toContain('sequential.ts');
  });

  it('the walker finds a cycle, and ignores one made only of type imports', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cycles-'));
    try {
      writeFileSync(join(dir, 'a.ts'), "import { b } from './b.js';\nexport const a = () => b;\n");
      writeFileSync(join(dir, 'b.ts'), "import { c } from './c.js';\nexport const b = 1 + c;\n");
      writeFileSync(join(dir, 'c.ts'), "export { a } from './a.js';\nexport const c = 2;\n");
      writeFileSync(join(dir, 'd.ts'), "import type { E } from './e.js';\nexport type D = E;\n");
      writeFileSync(join(dir, 'e.ts'), "import type { D } from './d.js';\nexport type E = D | 1;\n");
      writeFileSync(join(dir, 'f.ts'), "import { type G } from './g.js';\nexport type F = G;\n");
      writeFileSync(join(dir, 'g.ts'), "import { type F } from './f.js';\nexport type G = F | 1;\n");
      expect(findCycles(importGraph(dir))).toEqual([
        ['a.ts', 'b.ts', 'c.ts', 'a.ts'],
        // `import { type X }` is kept as `import {} from` under verbatimModuleSyntax: a real edge.
        ['f.ts', 'g.ts', 'f.ts'],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
