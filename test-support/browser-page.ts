import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

const TYPES: Record<string, string> = { html: 'text/html', js: 'text/javascript' };

/**
 * Serves the files directly in `dir` over loopback, for a browser test's page; `isolated` adds
 * the headers that make the page cross-origin isolated (shared memory, threads).
 */
export async function serveDirectory(dir: string, isolated: boolean): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const name = (req.url ?? '/').split('?')[0] === '/' ? 'index.html' : (req.url ?? '').slice(1).split('?')[0]!;
    let body: Buffer;
    try {
      if (name.includes('/') || name.includes('..')) throw new Error('not here');
      body = readFileSync(join(dir, name));
    } catch {
      res.writeHead(404).end();
      return;
    }
    const headers: Record<string, string> = { 'Content-Type': TYPES[name.split('.').pop()!] ?? 'application/octet-stream' };
    if (isolated) {
      headers['Cross-Origin-Opener-Policy'] = 'same-origin';
      headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
    }
    res.writeHead(200, headers).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

/** What `bundlePage` needs of esbuild's `build`, which each package brings (this directory has no dependencies). */
export type Bundler = (options: {
  entryPoints: string[];
  bundle: true;
  outfile: string;
  platform: 'browser';
  format: 'esm' | 'iife';
  target: string;
  logLevel: 'error';
}) => Promise<{ errors: unknown[] }>;

/**
 * Bundles a browser test's page into `dir` with esbuild (`build`): `page.ts` (an ES module) and
 * `step-worker.ts` (a classic Web Worker script) from `sources`, and an index.html titled
 * `title` that loads the page. Returns esbuild's errors (none when it bundled both).
 */
export async function bundlePage(build: Bundler, sources: string, dir: string, title: string): Promise<unknown[]> {
  const errors: unknown[] = [];
  for (const [entry, format] of [
    ['page.ts', 'esm'],
    ['step-worker.ts', 'iife'],
  ] as const) {
    const result = await build({
      entryPoints: [join(sources, entry)],
      bundle: true,
      outfile: join(dir, entry.replace(/\.ts$/, '.js')),
      platform: 'browser',
      format,
      target: 'es2022',
      logLevel: 'error',
    });
    errors.push(...result.errors);
  }
  writeFileSync(join(dir, 'index.html'), `<!doctype html><meta charset="utf-8"><title>${title}</title><script type="module" src="./page.js"></script>\n`);
  return errors;
}
