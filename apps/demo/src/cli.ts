import { Command, InvalidArgumentError, Option } from 'commander';
import { BACKEND_NAMES, createBackend } from './backends.js';
import { runLesson } from './commands/lesson.js';

function parseSeed(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n > 2 ** 32 - 1) {
    throw new InvalidArgumentError('the seed must be an integer from 0 to 4294967295.');
  }
  return n;
}

const program = new Command()
  .name('pnpm demo')
  .description('scratchnet demos: a neural network built from scratch in TypeScript.')
  .showHelpAfterError();

program
  .command('lesson')
  .description("the lesson's SimpleNN(3, 8, 3) on X = randn(4, 3): prints what the NumPy lesson prints")
  .addOption(new Option('--seed <n>', 'random seed, as np.random.seed(n)').default(42).argParser(parseSeed))
  .addOption(new Option('--backend <name>', 'compute backend').choices(BACKEND_NAMES).default('cpu'))
  .addOption(new Option('--dtype <dtype>', 'float dtype of data and weights').choices(['float64', 'float32']).default('float64'))
  .option('--summary', 'print the model summary first', false)
  .action((opts: { seed: number; backend: string; dtype: 'float32' | 'float64'; summary: boolean }) => {
    const backend = createBackend(opts.backend);
    try {
      const { lines } = runLesson({ seed: opts.seed, backend, dtype: opts.dtype, summary: opts.summary });
      console.log(lines.join('\n'));
    } finally {
      backend.dispose?.();
    }
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(err instanceof Error ? `${err.name}: ${err.message}` : String(err));
  process.exitCode = 1;
});
