import { defineConfig, type Plugin } from 'vite';
import { mnistAsset } from './build/mnist-asset.ts';
import { ISOLATION_HEADERS } from './build/isolation-headers.ts';

/**
 * The MNIST digits as a static asset, `mnist-digits.bin`, built from the `mnist` package: served
 * by the dev server, written into the build. Made on first request, not at start-up (~1 s).
 */
function mnistDigits(): Plugin {
  let bytes: Uint8Array | undefined;
  const asset = () => (bytes ??= mnistAsset());
  return {
    name: 'scratchnet-mnist-digits',
    configureServer(server) {
      server.middlewares.use('/mnist-digits.bin', (_req, res) => {
        res.setHeader('Content-Type', 'application/octet-stream');
        res.end(asset());
      });
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'mnist-digits.bin', source: asset() });
    },
  };
}

// scratchnet's errors take their name from their class (`ModelFormatError`), and the page shows
// it: the minifier must not rename classes.
const keepClassNames = { output: { keepNames: true } };

export default defineConfig({
  // Relative URLs: the build works from any path of any static host.
  base: './',
  plugins: [mnistDigits()],
  worker: { format: 'es', rolldownOptions: keepClassNames },
  server: { headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
  build: { target: 'es2022', rolldownOptions: keepClassNames },
});
