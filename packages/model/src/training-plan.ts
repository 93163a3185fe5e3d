import { Dense, type Layer, type Loss, type LossName } from '@scratchnet/layers';
import { ValueError } from '@scratchnet/tensor';
import { FusedSoftmaxCrossEntropy, LossCriterion, type Criterion } from './criterion.js';
import { DenseLogits } from './dense-logits.js';
import type { Stage } from './stage.js';

/** What a model's last layer outputs, as far as choosing and fusing a loss is concerned. */
type OutputKind = 'softmax' | 'sigmoid' | 'other';

function outputKind(layer: Layer): OutputKind {
  if (layer instanceof Dense) return layer.activation === 'softmax' ? 'softmax' : layer.activation === 'sigmoid' ? 'sigmoid' : 'other';
  if (layer.className === 'Softmax') return 'softmax';
  if (layer.className === 'Sigmoid') return 'sigmoid';
  return 'other';
}

function describeLayer(layer: Layer): string {
  return layer instanceof Dense ? `'${layer.name}' (Dense, activation ${layer.activation})` : `'${layer.name}' (${layer.className})`;
}

const FUSABLE: ReadonlySet<LossName> = new Set<LossName>(['categoricalCrossentropy', 'sparseCategoricalCrossentropy']);

/**
 * Whether `lossName` fits what the last layer outputs; a ValueError saying what to change if not.
 * Cross-entropy on probabilities needs a final softmax (binary: a sigmoid or softmax); the
 * `softmax…` losses take logits, so a final softmax would be applied twice; mean squared error
 * fits anything.
 */
export function checkLossFitsModel(where: string, layers: readonly Layer[], lossName: LossName): void {
  const last = layers[layers.length - 1];
  if (last === undefined) return;
  const kind = outputKind(last);
  const fix = (text: string): never => {
    throw new ValueError(`${where}: loss '${lossName}' does not fit the last layer ${describeLayer(last)}: ${text}`);
  };
  switch (lossName) {
    case 'categoricalCrossentropy':
    case 'sparseCategoricalCrossentropy':
      if (kind !== 'softmax') {
        const logits = lossName === 'categoricalCrossentropy' ? 'softmaxCrossentropy' : 'sparseSoftmaxCrossentropy';
        fix(`it expects probabilities from a softmax; end the model with a Softmax layer (or a Dense with activation 'softmax'), or use loss '${logits}', which takes logits`);
      }
      return;
    case 'binaryCrossentropy':
      if (kind === 'other') fix("it expects probabilities; end the model with a Sigmoid layer (or a Dense with activation 'sigmoid')");
      return;
    case 'softmaxCrossentropy':
    case 'sparseSoftmaxCrossentropy':
      if (kind !== 'other') {
        const probs = lossName === 'softmaxCrossentropy' ? 'categoricalCrossentropy' : 'sparseCategoricalCrossentropy';
        fix(`it takes logits and applies softmax itself, but this layer already outputs probabilities; remove that activation, or use loss '${probs}'`);
      }
      return;
    case 'meanSquaredError':
      return;
  }
}

/**
 * How a compiled model trains and evaluates: the stages run forward (and backward), the
 * criterion applied to the last stage's output, and the index of the first stage with
 * parameters (backward stops there, without computing an input gradient nobody needs).
 *
 * The softmax rule: when the last layer is a `Softmax` (or a `Dense` with activation
 * `softmax`) and the loss is `categoricalCrossentropy` or `sparseCategoricalCrossentropy`,
 * training and evaluation skip that softmax and apply the fused softmax cross-entropy to the
 * logits, with gradient `(p − y) / N`: the loss (exact, not clipped at 1e-7 as a separate
 * cross-entropy on probabilities is) and the gradient stay finite however saturated the
 * outputs are. `predict` still runs the whole model and returns probabilities.
 */
export interface TrainingPlan {
  readonly stages: readonly Stage[];
  readonly criterion: Criterion;
  readonly fused: boolean;
  readonly firstTrainable: number;
}

export function planTraining(layers: readonly Layer[], loss: Loss): TrainingPlan {
  const last = layers[layers.length - 1];
  if (last === undefined) throw new ValueError('fit: the model has no layers; add layers before training');
  checkLossFitsModel('fit', layers, loss.name);
  const fused = FUSABLE.has(loss.name) && outputKind(last) === 'softmax';
  let stages: Stage[] = [...layers];
  if (fused) {
    stages = layers.slice(0, -1);
    if (last instanceof Dense) stages.push(new DenseLogits(last));
  }
  const criterion = fused ? new FusedSoftmaxCrossEntropy(loss.name) : new LossCriterion(loss);
  let firstTrainable = layers.findIndex((l) => l.params().length > 0);
  if (firstTrainable === -1) firstTrainable = stages.length;
  return { stages, criterion, fused, firstTrainable };
}
