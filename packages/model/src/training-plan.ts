import { softmax } from '@scratchnet/backend';
import { checkLoss, getLoss, lossFitsOutput, registeredLossNames, type Layer, type Loss, type Stage } from '@scratchnet/layers';
import { ValueError, type Tensor } from '@scratchnet/tensor';
import { LossCriterion, type Criterion } from './criterion.js';
import { RowBuffers } from './row-buffers.js';

/**
 * Whether `loss` fits what the last layer outputs (its `outputKind`, see `lossFitsOutput`); a
 * ValueError saying what to change if not. Cross-entropy on probabilities needs a final softmax
 * (binary: a sigmoid or softmax); the `softmax…` losses take logits, so a final softmax would be
 * applied twice; mean squared error fits anything.
 */
export function checkLossFitsModel(where: string, layers: readonly Layer[], loss: Loss): void {
  const last = layers[layers.length - 1];
  if (last === undefined || lossFitsOutput(loss.expects, last.outputKind)) return;
  throw new ValueError(`${where}: loss '${loss.name}' does not fit the last layer ${last.describe()}: ${whatToChange(loss)}`);
}

function whatToChange(loss: Loss): string {
  switch (loss.expects) {
    case 'softmax': {
      const logits = loss.fromLogits?.().name;
      return (
        "it expects probabilities from a softmax; end the model with a Softmax layer (or a Dense with activation 'softmax')" +
        (logits === undefined ? '' : `, or use loss '${logits}', which takes logits`)
      );
    }
    case 'probabilities':
      return "it expects probabilities; end the model with a Sigmoid layer (or a Dense with activation 'sigmoid')";
    case 'logits': {
      // The loss on probabilities whose logits form this loss is, if one is registered.
      const probs = registeredLossNames().find((name) => getLoss(name).fromLogits?.().name === loss.name);
      return probs === undefined
        ? 'it takes logits and normalizes them itself, but this layer already outputs probabilities; remove that activation'
        : `it takes logits and applies softmax itself, but this layer already outputs probabilities; remove that activation, or use loss '${probs}'`;
    }
    case 'values':
      return 'it takes any values';
  }
}

/**
 * How a compiled model trains and evaluates: the stages run forward (and backward), the
 * criterion applied to the last stage's output, and the index of the first stage with
 * parameters (backward stops there, without computing an input gradient nobody needs).
 *
 * The softmax rule: when the last layer's output is a softmax (`outputKind` `'softmax'`) and it
 * offers a `logitsStage()`, and the loss expects softmax probabilities and has a `fromLogits()`
 * form (`categoricalCrossentropy`, `sparseCategoricalCrossentropy`), training and evaluation run
 * the logits stage in place of the last layer and apply the fused softmax cross-entropy to the
 * logits, with gradient `(p − y) / N`: the loss (exact, not clipped at 1e-7 as a separate
 * cross-entropy on probabilities is) and the gradient stay finite however saturated the outputs
 * are. `predict` still runs the whole model and returns probabilities. Nothing here looks at a
 * layer's class: a layer of your own that declares a softmax output and offers a logits stage is
 * fused the same way.
 */
export interface TrainingPlan {
  readonly stages: readonly Stage[];
  readonly criterion: Criterion;
  /** The last stage outputs logits whose softmax is the model's output. */
  readonly fused: boolean;
  readonly firstTrainable: number;
  /** What the model outputs for a last-stage output `out`: `out`, or its softmax when fused (into a kept buffer). */
  outputs(out: Tensor): Tensor;
}

export function planTraining(layers: readonly Layer[], loss: Loss): TrainingPlan {
  const last = layers[layers.length - 1];
  if (last === undefined) throw new ValueError('fit: the model has no layers; add layers before training');
  checkLossFitsModel('fit', layers, loss);
  const logits = loss.expects === 'softmax' && last.outputKind === 'softmax' && loss.fromLogits !== undefined ? last.logitsStage() : undefined;
  let criterion: Criterion;
  let stages: Stage[];
  if (logits !== undefined) {
    const fromLogits = checkLoss(`fit: loss '${loss.name}'.fromLogits()`, loss.fromLogits!());
    if (fromLogits.expects !== 'logits') {
      throw new ValueError(`fit: loss '${loss.name}'.fromLogits() returned '${fromLogits.name}', which expects ${fromLogits.expects}, not logits`);
    }
    criterion = new LossCriterion(fromLogits, loss.name);
    stages = [...layers.slice(0, -1), logits];
  } else {
    criterion = new LossCriterion(loss);
    stages = [...layers];
  }
  let firstTrainable = layers.findIndex((l) => l.params().length > 0);
  if (firstTrainable === -1) firstTrainable = stages.length;
  const fused = logits !== undefined;
  const probabilities = new RowBuffers();
  return {
    stages,
    criterion,
    fused,
    firstTrainable,
    outputs: fused ? (out) => softmax(out, { out: probabilities.get(out.shape, out.dtype) }) : (out) => out,
  };
}
