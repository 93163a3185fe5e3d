import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WasmBackend } from './built.js';
import type { StepReply, StepRequest } from './browser/step-worker.js';
import { trainStep } from './browser/mlp-step.js';
import { bundlePage, serveDirectory } from '../../../test-support/browser-page.js';
import { launchChromium } from './support/chromium.js';

/*
 * The package as an application gets it: its built dist/ (and the built sibling packages),
 * bundled by esbuild for the browser — the page's script and the Web Worker's — served over
 * loopback with or without COOP/COEP, and run in headless Chromium. The weights after a training
 * step in the browser must be Node's bytes (this package's dist, one thread), byte for byte.
 */

type TestApi = {
  isolated(): boolean;
  onMainThread(): Promise<StepReply>;
  threadsOnMainThread(threads: number): Promise<string>;
  inWorker(threads: number): Promise<StepReply>;
  request(request: StepRequest): Promise<StepReply>;
};

async function open(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForFunction(() => 'scratchnetTest' in globalThis, undefined, { timeout: 30_000 }).catch(() => {
    throw new Error(`the test page did not load: ${errors.join('; ') || 'no error reported'}`);
  });
  return page;
}

const call = <K extends keyof TestApi>(page: Page, name: K, ...args: Parameters<TestApi[K]>): Promise<Awaited<ReturnType<TestApi[K]>>> =>
  page.evaluate(
    ([n, a]) => (globalThis as unknown as { scratchnetTest: Record<string, (...x: unknown[]) => unknown> }).scratchnetTest[n]!(...a),
    [name, args] as const,
  ) as Promise<Awaited<ReturnType<TestApi[K]>>>;

function expectBytes(reply: StepReply, expected: Uint8Array): void {
  expect(reply.error).toBeUndefined();
  expect(reply.ok).toBe(true);
  const got = Uint8Array.from(reply.weights!);
  expect(got.length).toBe(expected.length);
  const first = got.findIndex((b, i) => b !== expected[i]);
  expect(first, `the browser's weights differ from Node's from byte ${first}`).toBe(-1);
}

describe('the wasm backend in headless Chromium: a training step, byte for byte as in Node', () => {
  let dir: string;
  let browser: Browser;
  let nodeWeights: Uint8Array;
  const servers: Server[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scratchnet-wasm-browser-'));
    expect(await bundlePage(build, new URL('./browser/', import.meta.url).pathname, dir, 'wasm backend')).toEqual([]);
    const backend = new WasmBackend();
    nodeWeights = await trainStep(backend);
    backend.dispose();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    for (const server of servers) server.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function page(isolated: boolean): Promise<Page> {
    const { url, server } = await serveDirectory(dir, isolated);
    servers.push(server);
    return open(browser, url);
  }

  it('Node trained something: the weights file holds the MLP and its Adam moments', () => {
    // 64·48 + 48 + 48·5 + 5 weights, three copies (value, m, v) of float32, plus the step count.
    expect(nodeWeights.length).toBeGreaterThanOrEqual(3 * 4 * (64 * 48 + 48 + 48 * 5 + 5));
  });

  it('cross-origin isolated: the main thread (1 thread), a Web Worker (1 thread) and a Web Worker on 2 and 3 threads all give the bytes Node computes', async () => {
    const p = await page(true);
    expect(await call(p, 'isolated')).toBe(true);
    const main = await call(p, 'onMainThread');
    expectBytes(main, nodeWeights);
    expect(main.sharedMemory).toBe(true);
    const one = await call(p, 'inWorker', 1);
    expectBytes(one, nodeWeights);
    expect(one.workersStarted).toBe(0);
    for (const threads of [2, 3]) {
      const split = await call(p, 'inWorker', threads);
      expectBytes(split, nodeWeights);
      // The backend started its supervisor, which started the threads over the shared memory;
      // create() waited until each held its Web Lock and the supervisor waited for each lock.
      expect(split.workersStarted).toBe(1);
      expect(split.locks).toEqual({ held: threads - 1, pending: threads - 1 });
      expect(split.sharedMemory).toBe(true);
    }
  });

  it("threads > 1 on a page's main thread is a BackendError that says to use a Web Worker", async () => {
    const p = await page(true);
    expect(await call(p, 'threadsOnMainThread', 2)).toMatch(/^BackendError: wasm backend: threads > 1 cannot run on a page's main thread, which may not block in Atomics\.wait/);
  });

  it('not isolated: one thread works in an ordinary memory, with the same bytes; two threads are a WasmFeatureError naming shared memory', async () => {
    const p = await page(false);
    expect(await call(p, 'isolated')).toBe(false);
    const main = await call(p, 'onMainThread');
    expectBytes(main, nodeWeights);
    expect(main.sharedMemory).toBe(false);
    const split = await call(p, 'inWorker', 2);
    expect(split.ok).toBe(false);
    expect(split.error).toMatch(/^WasmFeatureError: wasm backend: threads need shared WebAssembly memory/);
  });

  describe('a worker that dies mid-op makes that op throw a BackendError, never a hang; the pool is replaced and works', () => {
    let p: Page;
    beforeAll(async () => {
      p = await page(true);
    });

    const died = (worker: number, threads: number, detail: string): RegExp =>
      new RegExp(`^wasm backend: matmul \\((packB|matmulRows)\\) failed: worker ${worker} of ${threads - 1} died mid-job: ${detail}$`);
    const LOCK_RELEASED = 'the browser ended it \\(its Web Lock was released\\)';

    for (const [kind, threads, worker, message] of [
      // self.close() with no last words: only the released lock tells.
      ['close', 2, 1, died(1, 2, LOCK_RELEASED)],
      ['close', 3, 2, died(2, 3, LOCK_RELEASED)],
      // Terminated from outside by its parent, the supervisor (Chromium forces that after 2 s on a thread that never yields).
      ['kill', 2, 1, died(1, 2, LOCK_RELEASED)],
      // Its own last words, then self.close().
      ['exit', 3, 2, died(2, 3, 'it exited with code 70')],
      // An error in the kernel: reported through the block, the worker lives on.
      ['throw', 2, 1, /^wasm backend: matmul \((packB|matmulRows)\) failed in worker 1 of 1: the worker's error is in its console/],
    ] as const) {
      it(`${kind} in worker ${worker} of a ${threads}-thread backend; then the pool's threads (a replacement's after a death) hold their locks and compute`, async () => {
        const reply = await call(p, 'request', { threads, fault: { kind, worker } });
        expect(reply.error).toBeUndefined();
        const fault = reply.fault!;
        expect(fault.error?.name).toBe('BackendError');
        expect(fault.error?.message).toMatch(message);
        // A death replaces the pool; an error in a job keeps it.
        expect(fault.replacementLocks).toEqual(kind === 'throw' ? null : { held: threads - 1, pending: threads - 1 });
        expect(fault.laterCorrect).toEqual([true, true, true]);
        expect(fault.replacementFault?.message).toContain(`failed in worker ${threads - 1} of ${threads - 1}: the worker's error is in its console`);
      });
    }
  });

  it('a browser without Web Locks: the threads run unwatched and give the same bytes', async () => {
    const p = await page(true);
    const reply = await call(p, 'request', { threads: 2, hideLocks: true });
    expectBytes(reply, nodeWeights);
    expect(reply.workersStarted).toBe(1);
    expect(reply.locks).toBeNull();
  });
});
