import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { WasmBackend } from '@scratchnet/backend-wasm';
import { WorkerBackend } from '@scratchnet/backend-worker';
import { Command, InvalidArgumentError, Option } from 'commander';
import { contenderIds, contenderName, createContender } from './contenders/catalog.js';
import { INFERENCE_BATCH } from './contenders/contender.js';
import type { CnnResult } from './cnn-bench.js';
import { CNN_LABEL } from './cnn-model.js';
import { formatCnnReport } from './cnn-report.js';
import { DEFAULT_SHAPES, shapeLabel, type MatmulShape } from './matmul-bench.js';
import { CNN, MLP, measureContender, type BenchPlan } from './measure-contender.js';
import { measureInOwnProcess, reportToParent } from './own-process.js';
import { formatInferenceReport, formatMatmulReport, formatTrainReport, type Row } from './report.js';
import { formatTargets } from './targets.js';
import type { TrainResult } from './train-bench.js';

interface Options {
  quick: boolean;
  only?: 'matmul' | 'train' | 'cnn';
  shapes?: MatmulShape[];
  threads: number[];
  wasmThreads: number[];
  samples?: number;
  cnnSamples?: number;
  /** Set in the child process that measures this one contender (see own-process.ts). */
  contender?: string;
}

const MAX_DIM = 4096;

function parseShapes(value: string): MatmulShape[] {
  return value.split(',').map((part) => {
    const dims = part.trim().split(/[x×]/).map(Number);
    if (dims.length !== 3 || !dims.every((d) => Number.isInteger(d) && d >= 1 && d <= MAX_DIM)) {
      throw new InvalidArgumentError(`shapes are m×k×n triples of integers from 1 to ${MAX_DIM} separated by commas, e.g. 128x784x128,256x256x256; got '${part}'.`);
    }
    const [m, k, n] = dims as [number, number, number];
    return { label: shapeLabel(m, k, n), m, k, n };
  });
}

/** A parser of comma-separated thread counts from 1 to `max`. */
const threadCounts = (max: number) => (value: string): number[] => {
  const counts = value.split(',').map((p) => Number(p.trim()));
  if (!counts.every((t) => Number.isInteger(t) && t >= 1 && t <= max)) {
    throw new InvalidArgumentError(`thread counts are integers from 1 to ${max} separated by commas, e.g. 1,2; got '${value}'.`);
  }
  return counts;
};

function parseSamples(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > 8000) throw new InvalidArgumentError('samples must be an integer from 1 to 8000.');
  return n;
}

/** How a `secondsPerCall` timing was done, for a table's title. */
const roundsNote = ({ rounds, roundMs }: { rounds: number; roundMs: number }) =>
  roundMs > 0 ? `best of ${rounds} round${rounds === 1 ? '' : 's'} of at least ${roundMs} ms` : `best of ${rounds} call${rounds === 1 ? '' : 's'}`;

const message = (err: unknown) => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));

/** What every contender's process measures, from the options. */
function planOf(options: Options): BenchPlan {
  const wants = (part: 'matmul' | 'train' | 'cnn') => options.only === undefined || options.only === part;
  const samples = options.samples ?? (options.quick ? 1280 : 7680);
  return {
    ...(wants('matmul') && {
      matmul: { shapes: options.shapes ?? DEFAULT_SHAPES, timing: options.quick ? { rounds: 1, roundMs: 50 } : { rounds: 3, roundMs: 300 } },
    }),
    // Steady speed: a full warm-up epoch, then the best of 3.
    ...(wants('train') && {
      train: {
        samples,
        timing: options.quick
          ? { rounds: 1, warmupSamples: 256, inference: { rounds: 1, roundMs: 0 } }
          : { rounds: 3, warmupSamples: samples, inference: { rounds: 3, roundMs: 300 } },
      },
    }),
    ...(wants('cnn') && {
      cnn: {
        samples: options.cnnSamples ?? (options.quick ? 64 : 512),
        timing: options.quick
          ? { rounds: 1, epochSeconds: 5, inference: { rounds: 1, roundMs: 0 } }
          : { rounds: 2, epochSeconds: 10, inference: { rounds: 2, roundMs: 300 } },
      },
    }),
  };
}

async function main(options: Options): Promise<void> {
  const plan = planOf(options);
  if (options.contender !== undefined) {
    await reportToParent(await measureContender(await createContender(options.contender), plan));
    return;
  }

  const { TFJS_VERSION, tfjsWasmFeatures } = await import('./contenders/tfjs.js');
  const wasm = await tfjsWasmFeatures();
  const cpus = os.cpus();
  console.log(
    `node ${process.version}, ${cpus[0]?.model.trim() ?? 'unknown cpu'} × ${os.availableParallelism()} ` +
      `(load average ${os.loadavg()[0]!.toFixed(2)} at start), ` +
      `tfjs ${TFJS_VERSION} (wasm: SIMD ${wasm.simd ? 'on' : 'off'}, threads ${wasm.threads ? 'on' : 'off'})` +
      (options.quick ? ', --quick: one short round per number' : ''),
  );

  const matmulRows: Row<number[]>[] = [];
  const matmul64Rows: Row<number[]>[] = [];
  const trainRows: Row<TrainResult>[] = [];
  const cnnRows: Row<CnnResult>[] = [];
  // Each contender in a fresh process of its own, one after another, given the same options.
  const script = fileURLToPath(import.meta.url);
  const args = process.argv.slice(2);
  for (const id of contenderIds({ worker: options.threads, wasm: options.wasmThreads })) {
    const name = contenderName(id);
    const result = await measureInOwnProcess(script, args, id, name, plan, (pid) => {
      process.stderr.write(`measuring ${name} in process ${pid ?? '?'} …\n`);
    });
    if (result.matmul) matmulRows.push(result.matmul);
    if (result.matmul64) matmul64Rows.push(result.matmul64);
    if (result.train) trainRows.push(result.train);
    if (result.cnn) cnnRows.push(result.cnn);
  }

  if (plan.matmul) {
    const note = roundsNote(plan.matmul.timing);
    console.log('\n' + formatMatmulReport(plan.matmul.shapes, matmulRows, note, 'float32'));
    console.log('\n' + formatMatmulReport(plan.matmul.shapes, matmul64Rows, note, 'float64'));
  }
  if (plan.train) {
    const { samples, timing } = plan.train;
    const note =
      `784-${MLP.hidden.join('-')}-10 ReLU, Adam, batch ${MLP.batchSize}, model.fit over ${samples} MNIST digits ` +
      `(best of ${timing.rounds} epoch${timing.rounds === 1 ? '' : 's'} after a warm-up epoch of ${Math.min(timing.warmupSamples, samples)} digits, ` +
      'each contender in a process of its own)';
    console.log('\n' + formatTrainReport(trainRows, note));
    const inference =
      `the trained model classifying the demo's test digits (digits 800-999 of each class): one predict call over all of them ` +
      `in batches of ${INFERENCE_BATCH}, read back; ${roundsNote(timing.inference)} after a warm-up call`;
    console.log('\n' + formatInferenceReport(trainRows, inference));
  }
  if (plan.cnn) {
    const { samples, timing } = plan.cnn;
    const note =
      `${CNN_LABEL}, Adam, batch ${CNN.batchSize}: model.fit over up to ${samples} MNIST digits (best of ${timing.rounds} ` +
      `epoch${timing.rounds === 1 ? '' : 's'} after a warm-up epoch; fewer digits and one epoch where an epoch would outlast ${timing.epochSeconds} s), ` +
      `then predict on them (batches of 256; each contender in a process of its own)`;
    console.log('\n' + formatCnnReport(cnnRows, note));
  }
  if (plan.matmul || plan.train) {
    console.log('\n' + formatTargets({ shapes: plan.matmul?.shapes ?? [], matmul: matmulRows, matmul64: matmul64Rows, train: trainRows }));
  }
  console.log('\nTimes vary with machine load; compare ratios measured in the same run.');
}

const program = new Command()
  .name('pnpm bench')
  .description('scratchnet against TensorFlow.js (cpu and wasm backends): matmul GFLOP/s, MLP training samples/s, and CNN training and inference speed, in one run.')
  .option('--quick', 'one short round per number instead of the best of several', false)
  .addOption(new Option('--only <part>', 'run one part only').choices(['matmul', 'train', 'cnn']))
  .addOption(new Option('--shapes <list>', 'matmul shapes m×k×n, comma-separated (default 128³, 256³, 512³, 1024³, 128×784×128)').argParser(parseShapes))
  .addOption(new Option('--threads <list>', 'worker backend thread counts, comma-separated').default([1, 2], '1,2').argParser(threadCounts(WorkerBackend.maxThreads())))
  .addOption(new Option('--wasm-threads <list>', 'wasm backend thread counts, comma-separated').default([1, 2], '1,2').argParser(threadCounts(WasmBackend.MAX_THREADS)))
  .addOption(new Option('--samples <n>', 'MNIST digits per timed training epoch (default 7680, --quick 1280)').argParser(parseSamples))
  .addOption(new Option('--cnn-samples <n>', 'MNIST digits per timed CNN epoch (default 512, --quick 64)').argParser(parseSamples))
  // Internal: the bench re-runs itself with this option to measure each contender in its own process.
  .addOption(new Option('--contender <id>').hideHelp())
  .showHelpAfterError()
  .action((options: Options) => main(options));

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(message(err));
  process.exitCode = 1;
});
