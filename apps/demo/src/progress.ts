import { Presets, SingleBar } from 'cli-progress';

/** What the progress display shows after each batch. */
export interface BatchProgress {
  /** Batches done in this epoch. */
  batch: number;
  /** Samples done in this epoch. */
  samples: number;
  /** Mean loss and accuracy over this epoch's batches so far. */
  loss: number;
  accuracy: number;
}

/** One line of progress per epoch: a live bar on a terminal, plain lines elsewhere. */
export interface EpochProgress {
  epochBegin(epoch: number, epochs: number, batches: number): void;
  batchEnd(progress: BatchProgress): void;
  epochEnd(progress: BatchProgress): void;
  /** Ends any live display (also after an error). */
  stop(): void;
}

export interface ProgressOptions {
  stream?: NodeJS.WriteStream;
  /** Live bar (true) or one plain line per epoch (false); default: whether `stream` is a terminal. */
  tty?: boolean;
  /** Milliseconds since some fixed point; injectable so tests need no real clock. */
  now?: () => number;
}

/**
 * Progress goes to stderr by default, so stdout carries only the report: the report is the same
 * on every backend and every run with the same seed, and progress (samples/s) is not.
 */
export function createProgress(options: ProgressOptions = {}): EpochProgress {
  const stream = options.stream ?? process.stderr;
  const tty = options.tty ?? stream.isTTY === true;
  const now = options.now ?? (() => performance.now());
  let started = 0;
  let label = '';
  const speed = (samples: number) => {
    const seconds = (now() - started) / 1000;
    return seconds > 0 ? Math.round(samples / seconds) : 0;
  };
  const values = (p: BatchProgress) => ({ label, loss: p.loss.toFixed(4), accuracy: p.accuracy.toFixed(4), speed: speed(p.samples) });

  if (!tty) {
    return {
      epochBegin(epoch, epochs) {
        label = `epoch ${String(epoch + 1).padStart(String(epochs).length)}/${epochs}`;
        started = now();
      },
      batchEnd() {},
      epochEnd(p) {
        const v = values(p);
        stream.write(`${v.label}  loss ${v.loss}  accuracy ${v.accuracy}  ${v.speed} samples/s\n`);
      },
      stop() {},
    };
  }

  const bar = new SingleBar(
    {
      stream,
      format: '{label} {bar} {value}/{total} batches | loss {loss} | accuracy {accuracy} | {speed} samples/s',
      hideCursor: true,
      clearOnComplete: false,
      barsize: 24,
    },
    Presets.shades_classic,
  );
  let active = false;
  return {
    epochBegin(epoch, epochs, batches) {
      label = `epoch ${String(epoch + 1).padStart(String(epochs).length)}/${epochs}`;
      started = now();
      bar.start(batches, 0, { label, loss: '-', accuracy: '-', speed: 0 });
      active = true;
    },
    batchEnd(p) {
      bar.update(p.batch, values(p));
    },
    epochEnd(p) {
      bar.update(p.batch, values(p));
      bar.stop();
      active = false;
    },
    stop() {
      if (active) bar.stop();
      active = false;
    },
  };
}
