import os from 'node:os';
import { WorkerBackend } from '@scratchnet/backend-worker';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { CnnData, Contender, TrainingData } from './contenders/contender.js';
import { scratchnetContender } from './contenders/scratchnet.js';
import { TFJS_VERSION, tfjsContender, tfjsWasmFeatures } from './contenders/tfjs.js';
import { mnistTrainingDigits } from './data.js';
import { benchMatmul, DEFAULT_SHAPES, shapeLabel, type MatmulShape } from './matmul-bench.js';
import { formatMatmulReport, formatTrainReport, type Row } from './report.js';
import { benchTraining, type TrainResult } from './train-bench.js';
import { benchCnn, type CnnResult } from './cnn-bench.js';
import { CNN_LABEL } from './cnn-model.js';
import { formatCnnReport } from './cnn-report.js';

interface Options {
  quick: boolean;
  only?: 'matmul' | 'train' | 'cnn';
  shapes?: MatmulShape[];
  threads: number[];
  samples?: number;
  cnnSamples?: number;
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

function parseThreads(value: string): number[] {
  const counts = value.split(',').map((p) => Number(p.trim()));
  const max = WorkerBackend.maxThreads();
  if (!counts.every((t) => Number.isInteger(t) && t >= 1 && t <= max)) {
    throw new InvalidArgumentError(`thread counts are integers from 1 to ${max} separated by commas, e.g. 1,2; got '${value}'.`);
  }
  return counts;
}

function parseSamples(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > 8000) throw new InvalidArgumentError('samples must be an integer from 1 to 8000.');
  return n;
}

const message = (err: unknown) => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));

async function main(options: Options): Promise<void> {
  const shapes = options.shapes ?? DEFAULT_SHAPES;
  const matmulTiming = options.quick ? { rounds: 1, roundMs: 50 } : { rounds: 3, roundMs: 300 };
  const samples = options.samples ?? (options.quick ? 1280 : 7680);
  // The bench reports steady speed: a full warm-up epoch, then the best of 3. The worker backend's
  // first full epochs measured up to ~10% slower than later ones (not from deoptimisations or
  // garbage collection; the cause is not pinned down).
  const trainTiming = options.quick ? { rounds: 1, warmupSamples: 256 } : { rounds: 3, warmupSamples: samples };
  const wasm = await tfjsWasmFeatures();
  const cpus = os.cpus();
  console.log(
    `node ${process.version}, ${cpus[0]?.model.trim() ?? 'unknown cpu'} × ${os.availableParallelism()} ` +
      `(load average ${os.loadavg()[0]!.toFixed(2)} at start), ` +
      `tfjs ${TFJS_VERSION} (wasm: SIMD ${wasm.simd ? 'on' : 'off'}, threads ${wasm.threads ? 'on' : 'off'})` +
      (options.quick ? ', --quick: one short round per number' : ''),
  );

  const contenders: Contender[] = [
    scratchnetContender(),
    ...options.threads.map((t) => scratchnetContender(t)),
    tfjsContender('cpu'),
    tfjsContender('wasm'),
  ];
  const wants = (part: 'matmul' | 'train' | 'cnn') => options.only === undefined || options.only === part;
  const digits = wants('train') ? mnistTrainingDigits(samples) : undefined;
  const data: TrainingData | undefined = digits && { ...digits, samples, batchSize: 128, hidden: [128, 128], learningRate: 1e-3 };
  const cnnSamples = options.cnnSamples ?? (options.quick ? 64 : 512);
  const cnnData: CnnData | undefined = wants('cnn') ? { ...mnistTrainingDigits(cnnSamples), samples: cnnSamples, batchSize: 64, learningRate: 1e-3 } : undefined;
  const cnnTiming = options.quick
    ? { rounds: 1, epochSeconds: 5, inference: { rounds: 1, roundMs: 0 } }
    : { rounds: 2, epochSeconds: 10, inference: { rounds: 2, roundMs: 300 } };
  const cnnRows: Row<CnnResult>[] = [];
  const matmulRows: Row<number[]>[] = [];
  const trainRows: Row<TrainResult>[] = [];

  for (const contender of contenders) {
    process.stderr.write(`measuring ${contender.name} …\n`);
    let active = false;
    try {
      await contender.activate();
      active = true;
    } catch (err) {
      if (wants('matmul')) matmulRows.push({ name: contender.name, error: message(err) });
      if (data) trainRows.push({ name: contender.name, error: message(err) });
      if (cnnData) cnnRows.push({ name: contender.name, error: message(err) });
    }
    if (!active) continue;
    try {
      if (wants('matmul')) {
        try {
          matmulRows.push({ name: contender.name, value: await benchMatmul(contender, shapes, matmulTiming) });
        } catch (err) {
          matmulRows.push({ name: contender.name, error: message(err) });
        }
      }
      if (data) {
        try {
          trainRows.push({ name: contender.name, value: await benchTraining(contender, data, trainTiming) });
        } catch (err) {
          trainRows.push({ name: contender.name, error: message(err) });
        }
      }
      if (cnnData) {
        try {
          cnnRows.push({ name: contender.name, value: await benchCnn(contender, cnnData, cnnTiming) });
        } catch (err) {
          cnnRows.push({ name: contender.name, error: message(err) });
        }
      }
    } finally {
      await contender.deactivate();
    }
  }

  if (wants('matmul')) {
    const note = `best of ${matmulTiming.rounds} round${matmulTiming.rounds === 1 ? '' : 's'} of at least ${matmulTiming.roundMs} ms`;
    console.log('\n' + formatMatmulReport(shapes, matmulRows, note));
  }
  if (data) {
    const note =
      `784-${data.hidden.join('-')}-10 ReLU, Adam, batch ${data.batchSize}, model.fit over ${samples} MNIST digits ` +
      `(best of ${trainTiming.rounds} epoch${trainTiming.rounds === 1 ? '' : 's'} after a warm-up epoch of ${Math.min(trainTiming.warmupSamples, samples)} digits)`;
    console.log('\n' + formatTrainReport(trainRows, note));
  }
  if (cnnData) {
    const note =
      `${CNN_LABEL}, Adam, batch ${cnnData.batchSize}: model.fit over up to ${cnnSamples} MNIST digits (best of ${cnnTiming.rounds} ` +
      `epoch${cnnTiming.rounds === 1 ? '' : 's'} after a warm-up epoch; fewer digits and one epoch where an epoch would outlast ${cnnTiming.epochSeconds} s), ` +
      `then predict on them (batches of 256)`;
    console.log('\n' + formatCnnReport(cnnRows, note));
  }
  console.log('\nTimes vary with machine load; compare ratios measured in the same run.');
}

const program = new Command()
  .name('pnpm bench')
  .description('scratchnet against TensorFlow.js (cpu and wasm backends): matmul GFLOP/s, MLP training samples/s, and CNN training and inference speed, in one run.')
  .option('--quick', 'one short round per number instead of the best of several', false)
  .addOption(new Option('--only <part>', 'run one part only').choices(['matmul', 'train', 'cnn']))
  .addOption(new Option('--shapes <list>', 'matmul shapes m×k×n, comma-separated (default 128³, 256³, 512³, 1024³, 128×784×128)').argParser(parseShapes))
  .addOption(new Option('--threads <list>', 'worker backend thread counts, comma-separated').default([1, 2], '1,2').argParser(parseThreads))
  .addOption(new Option('--samples <n>', 'MNIST digits per timed training epoch (default 7680, --quick 1280)').argParser(parseSamples))
  .addOption(new Option('--cnn-samples <n>', 'MNIST digits per timed CNN epoch (default 512, --quick 64)').argParser(parseSamples))
  .showHelpAfterError()
  .action((options: Options) => main(options));

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(message(err));
  process.exitCode = 1;
});
