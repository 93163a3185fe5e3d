import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = new URL('../dist/index.js', import.meta.url).href;

/** Runs `code` (an ES module body) in a fresh `node --expose-gc` and returns its stdout as JSON. */
function runNode(code: string): unknown {
  const out = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', code], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return JSON.parse(out);
}

describe('dropped tensors are freed when collected', () => {
  it('a loop that drops 64 MiB of tensors per round, yielding between rounds, reuses the same memory', () => {
    const result = runNode(`
      const { WasmBackend } = await import(${JSON.stringify(dist)});
      const { Tensor } = await import('@scratchnet/tensor');
      const backend = new WasmBackend();
      const heap = backend.allocator;
      const rounds = [];
      for (let round = 0; round < 20; round++) {
        for (let i = 0; i < 16; i++) new Tensor(heap.allocate('float32', 2 ** 20), [2 ** 20]).data[0] = i;
        globalThis.gc();
        // Finalizers run between tasks.
        await new Promise((resolve) => setTimeout(resolve, 0));
        rounds.push({ live: heap.liveTensorBlocks, bytes: backend.memory.buffer.byteLength });
      }
      console.log(JSON.stringify(rounds));
    `) as Array<{ live: number; bytes: number }>;
    const last = result.at(-1)!;
    expect(last.live).toBe(0);
    // 20 rounds of 64 MiB in a memory that never passed ~2 rounds' worth.
    expect(Math.max(...result.map((r) => r.bytes))).toBeLessThan(160 * 2 ** 20);
  });

  it('without explicit collections too: V8 is told of the blocks, so 300 dropped 4 MiB tensors do not grow the memory to 1.2 GB', () => {
    const result = runNode(`
      const { WasmBackend } = await import(${JSON.stringify(dist)});
      const { setBackend } = await import('@scratchnet/backend');
      const { zeros } = await import('@scratchnet/tensor');
      const backend = new WasmBackend();
      setBackend(backend);
      for (let i = 0; i < 300; i++) {
        zeros([1024, 1024]).data[0] = i;
        await new Promise((resolve) => setImmediate(resolve));
      }
      console.log(JSON.stringify({ bytes: backend.memory.buffer.byteLength }));
    `) as { bytes: number };
    // Measured: 1,384 MiB before the heap charged its blocks to the collector, 182 MiB after.
    expect(result.bytes).toBeLessThan(512 * 2 ** 20);
  });

  it('a tensor kept alive keeps its block; its views keep it too', () => {
    const result = runNode(`
      const { WasmBackend } = await import(${JSON.stringify(dist)});
      const { Tensor } = await import('@scratchnet/tensor');
      const backend = new WasmBackend();
      const heap = backend.allocator;
      const kept = new Tensor(heap.allocate('float64', 1000), [10, 100]);
      kept.data.fill(3);
      let view = kept.slice(2, 3);
      const keptOnlyByView = new Tensor(heap.allocate('float64', 100), [100]).reshape([10, 10]);
      keptOnlyByView.data.fill(5);
      for (let i = 0; i < 10; i++) new Tensor(heap.allocate('float64', 1000), [1000]);
      globalThis.gc();
      await new Promise((resolve) => setTimeout(resolve, 0));
      // Fresh allocations must not land on the kept blocks.
      const fresh = [];
      for (let i = 0; i < 10; i++) { const t = new Tensor(heap.allocate('float64', 1000), [1000]); t.data.fill(-1); fresh.push(t); }
      console.log(JSON.stringify({ live: heap.liveTensorBlocks, kept: kept.data.every((v) => v === 3), view: view.data.every((v) => v === 3), other: keptOnlyByView.data.every((v) => v === 5) }));
    `) as { live: number; kept: boolean; view: boolean; other: boolean };
    expect(result).toEqual({ live: 12, kept: true, view: true, other: true });
  });
});
