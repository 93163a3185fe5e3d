import { benchCnn, type CnnResult, type CnnTiming } from './cnn-bench.js';
import type { CnnData, Contender, TrainingData } from './contenders/contender.js';
import { mnistTestDigits, mnistTrainingDigits } from './data.js';
import { benchMatmul, type MatmulShape } from './matmul-bench.js';
import type { Row } from './report.js';
import type { TimingOptions } from './timing.js';
import { benchTraining, type TrainResult, type TrainTiming } from './train-bench.js';

/** The MLP every contender trains: 784-128-128-10, batch 128, Adam at 1e-3. */
export const MLP = { batchSize: 128, hidden: [128, 128], learningRate: 1e-3 } as const;
/** The CNN's training settings (its layers are in cnn-model.ts). */
export const CNN = { batchSize: 64, learningRate: 1e-3 } as const;

/** What to measure of one contender; a part left undefined is skipped. */
export interface BenchPlan {
  matmul?: { shapes: readonly MatmulShape[]; timing: TimingOptions };
  train?: { samples: number; timing: TrainTiming };
  cnn?: { samples: number; timing: CnnTiming };
}

/** One contender's rows of the matmul and training tables (present for the parts planned). */
export interface ContenderResult {
  /** GFLOP/s per shape in float32 and, where the contender has float64, in float64. */
  matmul?: Row<number[]>;
  matmul64?: Row<number[]>;
  train?: Row<TrainResult>;
  cnn?: Row<CnnResult>;
}

const message = (err: unknown) => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));

/**
 * Activates `contender`, measures the planned parts, and releases it. A failure lands in the
 * row's `error` (a contender that cannot start fails every part), never in an exception.
 */
export async function measureContender(contender: Contender, plan: BenchPlan): Promise<ContenderResult> {
  const name = contender.name;
  const result: ContenderResult = {};
  try {
    await contender.activate();
  } catch (err) {
    if (plan.matmul) result.matmul = result.matmul64 = { name, error: message(err) };
    if (plan.train) result.train = { name, error: message(err) };
    if (plan.cnn) result.cnn = { name, error: message(err) };
    return result;
  }
  try {
    if (plan.matmul) {
      try {
        result.matmul = { name, value: await benchMatmul(contender, plan.matmul.shapes, plan.matmul.timing, 'float32') };
      } catch (err) {
        result.matmul = { name, error: message(err) };
      }
      try {
        result.matmul64 =
          contender.noFloat64 === undefined
            ? { name, value: await benchMatmul(contender, plan.matmul.shapes, plan.matmul.timing, 'float64') }
            : { name, skipped: contender.noFloat64 };
      } catch (err) {
        result.matmul64 = { name, error: message(err) };
      }
    }
    if (plan.train) {
      try {
        const data: TrainingData = { ...mnistTrainingDigits(plan.train.samples), samples: plan.train.samples, test: mnistTestDigits(), ...MLP };
        result.train = { name, value: await benchTraining(contender, data, plan.train.timing) };
      } catch (err) {
        result.train = { name, error: message(err) };
      }
    }
    if (plan.cnn) {
      try {
        const data: CnnData = { ...mnistTrainingDigits(plan.cnn.samples), samples: plan.cnn.samples, ...CNN };
        result.cnn = { name, value: await benchCnn(contender, data, plan.cnn.timing) };
      } catch (err) {
        result.cnn = { name, error: message(err) };
      }
    }
  } finally {
    await contender.deactivate();
  }
  return result;
}
