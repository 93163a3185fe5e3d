/**
 * What a server must send for the page to be cross-origin isolated (`crossOriginIsolated`),
 * which is what lets it share memory (`SharedArrayBuffer`) with its workers — the threaded
 * backends need it. The dev and preview servers send these; so must any host of the build.
 */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};
