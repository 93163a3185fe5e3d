#!/usr/bin/env node
// Compiles the AssemblyScript kernels (assembly/) into src/generated/kernels-wasm.ts: the module's
// bytes as base64, so the package loads without fetch or fs. Also writes src/generated/kernels.wasm
// (for inspection, and for apps that prefer to serve the binary by URL).
//
// Reproducible: the compiler is pinned (exact version in package.json, locked), the flags are
// fixed here, inputs are read in sorted order, and the output holds no time or path. The
// generated file records a hash of every input; when the inputs are unchanged the compile is
// skipped, so `typecheck` and repeated builds cost nothing. `--check` fails instead of writing
// when the generated file is stale (or differs from a fresh compile with `--check --force`).

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const assemblyDir = join(root, 'assembly');
const outDir = join(root, 'src', 'generated');
const outTs = join(outDir, 'kernels-wasm.ts');
const outWasm = join(outDir, 'kernels.wasm');
const args = new Set(process.argv.slice(2));

/** Largest memory the module accepts, in 64 KiB pages: the whole wasm32 address space. */
const MAX_PAGES = 65536;

const FLAGS = [
  '--optimizeLevel', '3',
  '--shrinkLevel', '0',
  '--noAssert',
  '--runtime', 'stub',
  // The host owns the memory (tensors live in it); declared shared so that threads can share it.
  // The loader flips the shared bit for hosts or configurations without shared memory.
  '--importMemory',
  '--sharedMemory',
  '--initialMemory', '1',
  '--maximumMemory', String(MAX_PAGES),
  '--noExportMemory',
  '--enable', 'simd',
  '--enable', 'threads',
  // No abort handler: kernels trust their arguments, and an import would tie the module to a host.
  '--use', 'abort=',
];

const require = createRequire(import.meta.url);
const ascVersion = JSON.parse(readFileSync(require.resolve('assemblyscript/package.json'), 'utf8')).version;

function sources() {
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, name.name);
      if (name.isDirectory()) walk(path);
      else if (name.name.endsWith('.ts')) files.push(path);
    }
  };
  walk(assemblyDir);
  return files;
}

function inputHash(files) {
  const hash = createHash('sha256');
  hash.update(`asc ${ascVersion}\n${FLAGS.join(' ')}\n`);
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  for (const file of files) {
    hash.update(`\n--- ${relative(root, file)}\n`);
    hash.update(readFileSync(file));
  }
  return hash.digest('hex');
}

const HASH_LINE = /^\/\/ inputs-sha256: ([0-9a-f]{64})$/m;

function recordedHash() {
  if (!existsSync(outTs)) return null;
  return HASH_LINE.exec(readFileSync(outTs, 'utf8'))?.[1] ?? null;
}

async function compile() {
  const { default: asc } = await import('assemblyscript/asc');
  let binary = null;
  const stderr = [];
  const { error } = await asc.main([join(assemblyDir, 'index.ts'), '--outFile', 'kernels.wasm', ...FLAGS], {
    stdout: { write: () => true },
    stderr: { write: (s) => (stderr.push(String(s)), true) },
    writeFile: (name, contents) => {
      if (name.endsWith('.wasm')) binary = contents;
    },
  });
  if (error || binary === null) {
    throw new Error(`asc failed: ${error?.message ?? 'no binary written'}\n${stderr.join('')}`);
  }
  return Uint8Array.from(binary);
}

/** Section ids of a module, for the checks below (the format is a magic, a version, then id + size + payload). */
function sectionIds(bytes) {
  const ids = [];
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at++];
    let size = 0;
    let shift = 0;
    let byte;
    do {
      byte = bytes[at++];
      size |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    ids.push(id);
    at += size;
  }
  return ids;
}

/** What the loader relies on: valid SIMD code, one import (a shared env.memory), no data segments. */
function checkModule(bytes) {
  const module = new WebAssembly.Module(bytes);
  const imports = WebAssembly.Module.imports(module);
  if (imports.length !== 1 || imports[0].module !== 'env' || imports[0].name !== 'memory' || imports[0].kind !== 'memory') {
    throw new Error(`kernel module must import only env.memory, imports ${JSON.stringify(imports)}`);
  }
  // Active data segments would be written into the shared memory again by every instance.
  if (sectionIds(bytes).includes(11)) throw new Error('kernel module has a data section; keep static data out of assembly/');
}

function emit(bytes, hash) {
  const digest = createHash('sha256').update(bytes).digest('hex');
  const base64 = Buffer.from(bytes).toString('base64');
  const lines = [];
  for (let i = 0; i < base64.length; i += 100) lines.push(`  '${base64.slice(i, i + 100)}'`);
  return [
    '// Generated by scripts/build-kernels.mjs from assembly/ — do not edit.',
    `// inputs-sha256: ${hash}`,
    `// assemblyscript ${ascVersion}`,
    '',
    '/** The kernel module (assembly/index.ts compiled to WebAssembly), base64. */',
    'export const KERNELS_WASM_BASE64: string =',
    lines.join(' +\n') + ';',
    '',
    '/** Length of the module in bytes. */',
    `export const KERNELS_WASM_LENGTH = ${bytes.length};`,
    '',
    '/** sha256 of the module, hex. */',
    `export const KERNELS_WASM_SHA256 = '${digest}';`,
    '',
    `/** Pages the module declares as its memory's maximum. */`,
    `export const KERNELS_MAX_PAGES = ${MAX_PAGES};`,
    '',
  ].join('\n');
}

const files = sources();
const hash = inputHash(files);
const upToDate = recordedHash() === hash && existsSync(outWasm);

if (args.has('--check') && !args.has('--force')) {
  if (!upToDate) {
    console.error('src/generated/kernels-wasm.ts is stale: run `pnpm --filter @scratchnet/backend-wasm kernels`');
    process.exit(1);
  }
  process.exit(0);
}
if (upToDate && !args.has('--force')) process.exit(0);

const started = performance.now();
const bytes = await compile();
checkModule(bytes);
const text = emit(bytes, hash);
if (args.has('--check')) {
  // --check --force: a fresh compile must reproduce the committed bytes exactly.
  const same = existsSync(outWasm) && Buffer.compare(readFileSync(outWasm), Buffer.from(bytes)) === 0;
  if (!same) {
    console.error('a fresh compile of assembly/ differs from src/generated/kernels.wasm');
    process.exit(1);
  }
  console.error(`kernels: reproduced ${bytes.length} bytes exactly`);
  process.exit(0);
}
mkdirSync(outDir, { recursive: true });
writeFileSync(outWasm, bytes);
writeFileSync(outTs, text);
console.error(`kernels: compiled ${files.length} files to ${bytes.length} bytes in ${((performance.now() - started) / 1000).toFixed(1)} s`);
