/** A ```js block of a README and the ```text block after it (what it prints), if any. */
export interface Block {
  code: string;
  prints: string | undefined;
  line: number;
}

/**
 * A README's runnable programs. A ```js block that starts with an `import` begins a program; one
 * that does not continues the program before it (a tutorial's steps). The ```text block that
 * follows a ```js block, before the next one, is exactly what that block prints.
 */
export function readmePrograms(markdown: string): Block[][] {
  const fence = /^```(\w*)\n([\s\S]*?)^```$/gm;
  const programs: Block[][] = [];
  let last: Block | undefined;
  for (const match of markdown.matchAll(fence)) {
    const [, lang, body] = match;
    const line = markdown.slice(0, match.index).split('\n').length;
    if (lang === 'js') {
      last = { code: body!, prints: undefined, line };
      if (/^import\b/.test(body!) || programs.length === 0) programs.push([last]);
      else programs.at(-1)!.push(last);
    } else if (lang === 'text' && last !== undefined && last.prints === undefined) {
      last.prints = body!;
    }
  }
  return programs;
}

const MARK = '--- end of README block ---';

/** One program's source, printing a mark after each block so the output can be split per block. */
export function programSource(blocks: Block[]): string {
  return blocks.map((block) => `${block.code}console.log(${JSON.stringify(MARK)});\n`).join('');
}

/** What each block printed, given the program's whole output. */
export function splitOutput(stdout: string): string[] {
  return stdout.split(`${MARK}\n`).slice(0, -1);
}
