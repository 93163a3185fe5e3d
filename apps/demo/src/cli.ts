import { WasmBackend } from '@scratchnet/backend-wasm';
import { WorkerBackend } from '@scratchnet/backend-worker';
import { Command, Option } from 'commander';
import { BACKEND_NAMES, createBackend, THREADED_BACKENDS } from './backends.js';
import { checkSaveDirectory, loadModel, saveModel } from '@scratchnet/model/node';
import { runLesson } from './commands/lesson.js';
import { runPredict } from './commands/predict.js';
import { MODEL_KINDS, runTrain, TRAIN_DEFAULTS, type ModelKind, type Schedule } from './commands/train.js';
import { integerIn, parseHidden, parseLearningRate, parseSeed } from './options.js';
import { createProgress } from './progress.js';

const program = new Command()
  .name('pnpm demo')
  .description('scratchnet demos: a neural network built from scratch in TypeScript.')
  .showHelpAfterError();

const backendOption = () => new Option('--backend <name>', 'compute backend').choices(BACKEND_NAMES).default('cpu');
const threadsOption = () =>
  new Option('--threads <n>', 'threads of the worker or wasm backend, this one included (default: the cores available for worker, 1 for wasm)').argParser(
    integerIn('the thread count', 1, WorkerBackend.maxThreads()),
  );

/** The largest `--shift`: a digit moved further starts to leave its 28×28 frame. */
const MAX_SHIFT = 4;

/** `10 for mlp, 10 for cnn`: an option's default for each model. */
function perModel(key: 'epochs' | 'batchSize' | 'learningRate' | 'schedule' | 'shift'): string {
  return MODEL_KINDS.map((kind) => `${TRAIN_DEFAULTS[kind][key]} for ${kind}`).join(', ');
}

/** `--threads` means something to the threaded backends only; saying it with another is a mistake. */
function checkThreads(command: Command, opts: { backend: string; threads?: number }): void {
  if (opts.threads !== undefined && !THREADED_BACKENDS.includes(opts.backend)) {
    command.error(`error: option '--threads <n>' applies to --backend ${THREADED_BACKENDS.join(' or ')} only, not '${opts.backend}'.`);
  }
  if (opts.backend === 'wasm' && opts.threads !== undefined && opts.threads > WasmBackend.MAX_THREADS) {
    command.error(`error: option '--threads <n>' argument '${opts.threads}' is invalid. the wasm backend takes at most ${WasmBackend.MAX_THREADS} threads.`);
  }
}

program
  .command('lesson')
  .description("the lesson's SimpleNN(3, 8, 3) on X = randn(4, 3): prints what the NumPy lesson prints")
  .addOption(new Option('--seed <n>', 'random seed, as np.random.seed(n)').default(42).argParser(parseSeed))
  .addOption(backendOption())
  .addOption(threadsOption())
  .addOption(new Option('--dtype <dtype>', 'float dtype of data and weights').choices(['float64', 'float32']).default('float64'))
  .option('--summary', 'print the model summary first', false)
  .action((opts: { seed: number; backend: string; threads?: number; dtype: 'float32' | 'float64'; summary: boolean }, command: Command) => {
    checkThreads(command, opts);
    const backend = createBackend(opts.backend, { threads: opts.threads });
    try {
      const { lines } = runLesson({ seed: opts.seed, backend, dtype: opts.dtype, summary: opts.summary });
      console.log(lines.join('\n'));
    } finally {
      backend.dispose?.();
    }
  });

program
  .command('train')
  .description('train a classifier of real MNIST digits (8,000 for training, 1,756 for testing): an MLP, or a CNN; report the test accuracy')
  .addOption(new Option('--model <kind>', 'the classifier: the MLP, or a convolutional network').choices(MODEL_KINDS).default('mlp'))
  .addOption(new Option('--epochs <n>', `passes over the training digits (default: ${perModel('epochs')})`).argParser(integerIn('epochs', 1, 1000)))
  .addOption(new Option('--batch-size <n>', `digits per training step (default: ${perModel('batchSize')})`).argParser(integerIn('the batch size', 1, 8000)))
  .addOption(new Option('--lr <rate>', `Adam's learning rate, the peak of a cosine schedule (default: ${perModel('learningRate')})`).argParser(parseLearningRate))
  .addOption(new Option('--schedule <kind>', `learning rate over the epochs: constant, or cosine decay towards 0 (default: ${perModel('schedule')})`).choices(['constant', 'cosine']))
  .addOption(new Option('--shift <pixels>', `shift each training digit by up to this many pixels, freshly each epoch (default: ${perModel('shift')})`).argParser(integerIn('the shift', 0, MAX_SHIFT)))
  .addOption(new Option('--hidden <sizes>', 'the MLP\'s hidden layer widths, comma-separated (default: 128,128)').argParser(parseHidden))
  .addOption(backendOption())
  .addOption(threadsOption())
  .addOption(new Option('--seed <n>', 'random seed for weights, shuffling and shifts').default(TRAIN_DEFAULTS.seed).argParser(parseSeed))
  .option('--summary', 'print the model summary', false)
  .option('--save <dir>', 'save the trained model (and optimizer state) to this directory')
  .action(
    async (
      opts: {
        model: ModelKind;
        epochs?: number;
        batchSize?: number;
        lr?: number;
        schedule?: Schedule;
        shift?: number;
        hidden?: number[];
        backend: string;
        threads?: number;
        seed: number;
        summary: boolean;
        save?: string;
      },
      command: Command,
    ) => {
      checkThreads(command, opts);
      if (opts.hidden !== undefined && opts.model !== 'mlp') {
        command.error(`error: option '--hidden <sizes>' applies to --model mlp only, not '${opts.model}'.`);
      }
      // An unusable --save directory is found now, not after minutes of training.
      if (opts.save !== undefined) await checkSaveDirectory(opts.save);
      const recipe = TRAIN_DEFAULTS[opts.model];
      const backend = createBackend(opts.backend, { threads: opts.threads });
      try {
        await runTrain({
          backend,
          model: opts.model,
          seed: opts.seed,
          epochs: opts.epochs ?? recipe.epochs,
          batchSize: opts.batchSize ?? recipe.batchSize,
          learningRate: opts.lr ?? recipe.learningRate,
          schedule: opts.schedule ?? recipe.schedule,
          shift: opts.shift ?? recipe.shift,
          hidden: opts.hidden ?? TRAIN_DEFAULTS.mlp.hidden,
          summary: opts.summary,
          progress: createProgress(),
          print: (line) => console.log(line),
          ...(opts.save === undefined ? {} : { save: saveTo(opts.save) }),
        });
      } finally {
        backend.dispose?.();
      }
    },
  );

program
  .command('predict')
  .description('load a model saved by `train --save DIR`, classify the 1,756 test digits and report the accuracy')
  .requiredOption('--model <dir>', 'directory the model was saved to')
  .addOption(backendOption())
  .addOption(threadsOption())
  .action(async (opts: { model: string; backend: string; threads?: number }, command: Command) => {
    checkThreads(command, opts);
    const backend = createBackend(opts.backend, { threads: opts.threads });
    try {
      const report = await runPredict({ backend, source: opts.model, load: () => loadModel(opts.model) });
      console.log(report.lines.join('\n'));
    } finally {
      backend.dispose?.();
    }
  });

function saveTo(dir: string): (model: Parameters<typeof saveModel>[0]) => Promise<string> {
  return async (model) => {
    await saveModel(model, dir);
    return dir;
  };
}

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(err instanceof Error ? `${err.name}: ${err.message}` : String(err));
  process.exitCode = 1;
});
