import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { preview, type PreviewServer } from 'vite';

export const APP_DIR = fileURLToPath(new URL('../..', import.meta.url));
const DIST = fileURLToPath(new URL('../../dist/index.html', import.meta.url));

/** The built app, served as `pnpm playground` serves it (vite preview, this app's config: COOP/COEP). */
export async function servePlayground(options: { isolated: boolean }): Promise<{ url: string; close: () => Promise<void> }> {
  if (!existsSync(DIST)) throw new Error(`${DIST} is missing: build the app first (pnpm --filter @scratchnet/playground build; turbo does it before the tests)`);
  // Without isolation: the same files with no headers at all, as a plain static host serves them.
  const server: PreviewServer = await preview({
    root: APP_DIR,
    logLevel: 'silent',
    ...(options.isolated ? {} : { configFile: false, base: './' }),
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
  });
  const url = server.resolvedUrls?.local[0];
  if (url === undefined) throw new Error('vite preview did not report a URL');
  return { url, close: () => server.close() };
}
