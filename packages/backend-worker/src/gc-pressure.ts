/**
 * Makes V8's garbage collector count `bytes` of SharedArrayBuffer memory just allocated.
 *
 * V8 counts a plain ArrayBuffer's bytes towards the pressure that triggers a collection, but not
 * a SharedArrayBuffer's (nodejs/node#34703). A loop that allocates shared tensors and drops them,
 * with little else on the JS heap, then never collects them: 300 shared buffers of 16 MB, filled
 * and dropped, took 4.5 GB of RSS on the development machine. Allocating a plain ArrayBuffer of
 * the same size right after, and dropping it, charges those bytes; it is never written, so a
 * large one's pages are never touched (they are mapped lazily), and the collections it triggers
 * free the dropped shared buffers too: the same loop peaked at 137 MB. (Keeping the plain buffer
 * alive, or allocating it before the shared one, did not help: measured 4.1 and 4.5 GB.)
 */
export function chargeToCollector(bytes: number): void {
  if (bytes > 0) void new ArrayBuffer(bytes);
}
