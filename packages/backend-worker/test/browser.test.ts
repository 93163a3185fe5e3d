import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StepReply, StepRequest } from './browser/step-worker.js';
import { runOps, trainStep } from './browser/scenarios.js';
import { bundlePage, serveDirectory } from '../../../test-support/browser-page.js';
import { launchChromium } from './support/chromium.js';

/*
 * The browser entry as an application gets it: the built dist/ of this package and its siblings,
 * bundled by esbuild for the browser — the page's script and a Web Worker's — served over
 * loopback with or without COOP/COEP, and run in headless Chromium. Ops and a training step on
 * the browser WorkerBackend with 2 threads must give the bytes Node's CpuBackend computes.
 */

type TestApi = {
  isolated(): boolean;
  onMainThread(threads: number): Promise<StepReply>;
  inWorker(request: StepRequest): Promise<StepReply>;
};

async function open(browser: Browser, url: string, consoleLines: string[]): Promise<Page> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => consoleLines.push(m.text()));
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

function expectBytes(what: string, got: number[] | undefined, expected: Uint8Array): void {
  expect(got, what).toBeDefined();
  const bytes = Uint8Array.from(got!);
  expect(bytes.length, what).toBe(expected.length);
  const first = bytes.findIndex((b, i) => b !== expected[i]);
  expect(first, `${what}: the browser's bytes differ from Node's CpuBackend from byte ${first}`).toBe(-1);
}

describe('the browser WorkerBackend in headless Chromium: ops and a training step, byte for byte as CpuBackend in Node', () => {
  let dir: string;
  let browser: Browser;
  let cpuOps: Uint8Array;
  let cpuWeights: Uint8Array;
  const servers: Server[] = [];
  const consoleLines: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scratchnet-worker-browser-'));
    expect(await bundlePage(build, new URL('./browser/', import.meta.url).pathname, dir, 'worker backend')).toEqual([]);
    cpuOps = runOps(new CpuBackend());
    cpuWeights = await trainStep(new CpuBackend());
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
    return open(browser, url, consoleLines);
  }

  it('Node computed something: the ops fill their tensors and the weights file holds the MLP and its Adam moments', () => {
    expect(cpuOps.some((b) => b !== 0)).toBe(true);
    // 64·48 + 48 + 48·5 + 5 weights, three copies (value, m, v) of float32, plus the step count.
    expect(cpuWeights.length).toBeGreaterThanOrEqual(3 * 4 * (64 * 48 + 48 + 48 * 5 + 5));
  });

  it('cross-origin isolated, in a Web Worker, on 2 and 3 threads: the ops and the step give CpuBackend\'s bytes; the workers hold their locks, watched, until dispose()', async () => {
    const p = await page(true);
    expect(await call(p, 'isolated')).toBe(true);
    for (const threads of [2, 3]) {
      const reply = await call(p, 'inWorker', { kind: 'compute', threads });
      expect(reply.error).toBeUndefined();
      expectBytes(`ops on ${threads} threads`, reply.ops, cpuOps);
      expectBytes(`step on ${threads} threads`, reply.weights, cpuWeights);
      // One supervisor, started here; it started the compute workers, whose locks are counted below.
      expect(reply.workersStarted).toBe(1);
      // Once ready, each worker holds its lock and the supervisor waits for it.
      expect(reply.locksReady!.held).toHaveLength(threads - 1);
      expect(reply.locksReady!.pending.sort()).toEqual([...reply.locksReady!.held].sort());
      // dispose() terminated them: their locks are gone, and so is the supervisor's request.
      expect(reply.locksDisposed).toEqual({ held: [], pending: [] });
    }
  });

  it('one thread on the page\'s main thread gives the same bytes; two are a BackendError that says to use a Web Worker', async () => {
    const p = await page(true);
    const one = await call(p, 'onMainThread', 1);
    expect(one.error).toBeUndefined();
    expectBytes('ops on the main thread', one.ops, cpuOps);
    expectBytes('step on the main thread', one.weights, cpuWeights);
    const two = await call(p, 'onMainThread', 2);
    expect(two.ok).toBe(false);
    expect(two.error).toMatch(/^BackendError: WorkerBackend: threads > 1 cannot run on a page's main thread, which may not block in Atomics\.wait: create the backend inside a Web Worker/);
  });

  it('a worker that throws mid-op fails the op with a BackendError carrying its message; the next ops are right', async () => {
    const p = await page(true);
    const reply = await call(p, 'inWorker', { kind: 'fault', fault: 'throw' });
    expect(reply.error).toBeUndefined();
    expect(reply.fault).toMatchObject({
      isBackendError: true,
      message: 'worker backend: matmul failed in worker 1 of 1: fault injected into worker 1',
      cause: 'fault injected into worker 1',
    });
    expect(reply.laterCorrect).toEqual([true, true, true, true, true]);
    expect(consoleLines.some((line) => line.includes('scratchnet worker 1:') && line.includes('fault injected into worker 1'))).toBe(true);
  });

  it('a worker that ends mid-op (close(), saying nothing) fails the op: its released Web Lock tells the supervisor; the pool is replaced', async () => {
    const p = await page(true);
    const reply = await call(p, 'inWorker', { kind: 'fault', fault: 'exit' });
    expect(reply.error).toBeUndefined();
    expect(reply.fault).toMatchObject({
      isBackendError: true,
      message: 'worker backend: matmul failed: worker 1 of 1 died mid-task: the browser ended it (its Web Lock was released)',
    });
    // For the record (not asserted: the machine is shared): the death is seen when the lock is released, not after a timeout.
    console.log(`browser worker death noticed after ${reply.fault!.ms.toFixed(0)} ms`);
    expect(reply.laterCorrect).toEqual([true, true, true, true, true]);
    // The first pool and its replacement.
    expect(reply.workersStarted).toBe(2);
  });

  it('a worker that ends between ops is replaced, and no op fails for it', async () => {
    const p = await page(true);
    const reply = await call(p, 'inWorker', { kind: 'fault', fault: 'exit-idle' });
    expect(reply.error).toBeUndefined();
    expect(reply.fault).toBeUndefined();
    expect(reply.laterCorrect).toEqual([true, true, true, true, true]);
    expect(reply.workersStarted).toBe(2);
  });

  it('for the record (logged, not asserted: the machine is shared): a 384³ matmul on 1 and 2 threads, and fit on cpu and 2 threads, in a Web Worker; the matmuls agree byte for byte', async () => {
    const p = await page(true);
    const reply = await call(p, 'inWorker', { kind: 'speed', size: 384, reps: 7 });
    expect(reply.error).toBeUndefined();
    expect(reply.speed!.sameBytes).toBe(true);
    const { one, two, fitCpu, fitTwo } = reply.speed!;
    const gflops = (ms: number) => ((2 * 384 ** 3) / ms / 1e6).toFixed(2);
    console.log(`384³ float32 matmul in Chromium, best of 7: 1 thread ${one.toFixed(1)} ms (${gflops(one)} GFLOP/s), 2 threads ${two.toFixed(1)} ms (${gflops(two)} GFLOP/s), ${(one / two).toFixed(2)}×`);
    console.log(`fit, MLP 784-128-128-10, batch 128, best of 3 epochs: CpuBackend ${Math.round(fitCpu)} samples/s, 2 threads ${Math.round(fitTwo)} samples/s, ${(fitTwo / fitCpu).toFixed(2)}×; load average ${loadavg()[0]!.toFixed(2)}`);
  });

  it('a compute worker whose script fails to load: ready() rejects with a BackendError carrying the error, and so does the first split op after; ops before are right', async () => {
    const p = await page(true);
    const reply = await call(p, 'inWorker', { kind: 'broken', script: 'compute' });
    expect(reply.error).toBeUndefined();
    expect(reply.readyError).toMatch(/^BackendError: worker backend: ready: worker 1 of 1 could not start: .*broken script/);
    expect(reply.laterCorrect).toEqual([true]);
    expect(reply.opError).toMatch(/^BackendError: worker backend: matmul: worker 1 of 1 could not start: .*broken script/);
  });

  it('a supervisor whose script fails to load: ready() rejects with a BackendError saying so, and so does the first split op after; ops before are right', async () => {
    const p = await page(true);
    const reply = await call(p, 'inWorker', { kind: 'broken', script: 'supervisor' });
    expect(reply.error).toBeUndefined();
    expect(reply.readyError).toMatch(/^BackendError: worker backend: ready: the pool's supervisor Web Worker could not start: .*broken script/);
    expect(reply.laterCorrect).toEqual([true]);
    expect(reply.opError).toMatch(/^BackendError: worker backend: matmul: the pool's supervisor Web Worker could not start: .*broken script/);
  });

  it('a worker terminated from outside mid-op (by the supervisor; no code of its own runs) fails the op: its released Web Lock tells', async () => {
    const p = await page(true);
    const reply = await call(p, 'inWorker', { kind: 'fault', fault: 'kill' });
    expect(reply.error).toBeUndefined();
    expect(reply.fault).toMatchObject({
      isBackendError: true,
      message: 'worker backend: matmul failed: worker 1 of 1 died mid-task: the browser ended it (its Web Lock was released)',
    });
    console.log(`browser worker terminated mid-op: the op failed after ${reply.fault!.ms.toFixed(0)} ms`);
    expect(reply.laterCorrect).toEqual([true, true, true, true, true]);
    expect(reply.workersStarted).toBe(2);
  });

  it('not isolated: a BackendError naming the two headers, on the main thread and in a worker', async () => {
    const p = await page(false);
    expect(await call(p, 'isolated')).toBe(false);
    const expected = /^BackendError: WorkerBackend: this page is not cross-origin isolated, so it has no SharedArrayBuffer for the threads to share: serve it with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp/;
    const main = await call(p, 'onMainThread', 1);
    expect(main.ok).toBe(false);
    expect(main.error).toMatch(expected);
    const worker = await call(p, 'inWorker', { kind: 'compute', threads: 2 });
    expect(worker.ok).toBe(false);
    expect(worker.error).toMatch(expected);
  });
});
