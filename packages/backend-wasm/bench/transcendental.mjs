// Do exp, log, tanh and sigmoid pay in WebAssembly? Compiles (now, with the pinned asc) a module
// whose loops call AssemblyScript's own Math (musl's algorithms, scalar: there is no SIMD exp in
// WebAssembly), and times it against the cpu backend's JavaScript loops (V8's Math, also
// fdlibm-derived) over the same float32 memory. `node bench/transcendental.mjs [--reps N]`.
import asc from 'assemblyscript/asc';
import { loadavg } from 'node:os';
import { kernels } from '@scratchnet/backend-cpu';

const at = process.argv.indexOf('--reps');
const reps = at === -1 ? 100 : Number(process.argv[at + 1]);

const SOURCE = `
@inline function each(op: i32, x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const v = <f64>load<f32>(x + (<usize>i << 2));
    let r: f64;
    if (op == 0) r = Math.exp(v);
    else if (op == 1) r = Math.log(v);
    else if (op == 2) r = Math.tanh(v);
    else r = v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
    store<f32>(out + (<usize>i << 2), <f32>r);
  }
}
export function expLoop(x: usize, out: usize, n: i32): void { each(0, x, out, n); }
export function logLoop(x: usize, out: usize, n: i32): void { each(1, x, out, n); }
export function tanhLoop(x: usize, out: usize, n: i32): void { each(2, x, out, n); }
export function sigmoidLoop(x: usize, out: usize, n: i32): void { each(3, x, out, n); }
`;

const { binary, error, stderr } = await asc.compileString(SOURCE, { optimizeLevel: 3, shrinkLevel: 0, noAssert: true, runtime: 'stub', importMemory: true, use: ['abort='] });
if (error) throw new Error(`asc: ${error.message}\n${stderr}`);
const memory = new WebAssembly.Memory({ initial: 32 });
const wasm = new WebAssembly.Instance(new WebAssembly.Module(binary), { env: { memory } }).exports;

const N = 1 << 16;
const X = 65536;
const OUT = X + 4 * N;
const x = new Float32Array(memory.buffer, X, N);
const out = new Float32Array(memory.buffer, OUT, N);
let seed = 3;
for (let i = 0; i < N; i++) {
  seed = (seed * 16807) % 2147483647;
  x[i] = 0.01 + 5 * (seed / 2147483647);
}

// A plain loop per op, as the cpu backend's kernels are written from the new kernel contract on
// (this branch's cpu kernel switches over the op per element).
const sigmoid = (v) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));
const PLAIN = {
  exp: () => { for (let i = 0; i < N; i++) out[i] = Math.exp(x[i]); },
  log: () => { for (let i = 0; i < N; i++) out[i] = Math.log(x[i]); },
  tanh: () => { for (let i = 0; i < N; i++) out[i] = Math.tanh(x[i]); },
  sigmoid: () => { for (let i = 0; i < N; i++) out[i] = sigmoid(x[i]); },
};
const CASES = [
  ['exp', () => wasm.expLoop(X, OUT, N), 'exp'],
  ['log', () => wasm.logLoop(X, OUT, N), 'log'],
  ['tanh', () => wasm.tanhLoop(X, OUT, N), 'tanh'],
  ['sigmoid', () => wasm.sigmoidLoop(X, OUT, N), 'sigmoid'],
];
const load = () => loadavg().map((v) => v.toFixed(2)).join(' ');
const loadBefore = load();
const rows = [];
for (const [name, runWasm, op] of CASES) {
  const runJs = () => kernels.unary({ op, x, out, alpha: 1, min: -Infinity, max: Infinity }, 0, N);
  const runs = [runWasm, runJs, PLAIN[op]];
  for (const run of runs) for (let i = 0; i < 10; i++) run();
  const best = [Infinity, Infinity, Infinity];
  for (let r = 0; r < reps; r++) {
    runs.forEach((run, i) => {
      const s = performance.now();
      run();
      best[i] = Math.min(best[i], ((performance.now() - s) / N) * 1e6);
    });
  }
  rows.push([name, ...best]);
}
console.log(`float32, ${N} elements, ns per element, fastest of ${reps} single calls in turns (node ${process.version})`);
console.log(`load average (1, 5, 15 min): ${loadBefore} before, ${load()} after\n`);
console.log('| op | WebAssembly (AssemblyScript Math) | cpu backend kernel (V8 Math) | plain JS loop (V8 Math) | wasm / plain JS |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const [name, w, j, p] of rows) console.log(`| ${name} | ${w.toFixed(2)} | ${j.toFixed(2)} | ${p.toFixed(2)} | ${(w / p).toFixed(2)} |`);
