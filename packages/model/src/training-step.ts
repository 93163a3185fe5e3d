import type { ForwardOptions } from '@scratchnet/layers';
import type { Tensor } from '@scratchnet/tensor';
import type { TrainingPlan } from './training-plan.js';

export const TRAINING: ForwardOptions = { training: true };
const WITH_INPUT_GRAD = { inputGrad: true };
const WITHOUT_INPUT_GRAD = { inputGrad: false };

/** Runs `x` through every stage of the plan. */
export function forwardStages(plan: TrainingPlan, x: Tensor, options: ForwardOptions): Tensor {
  let out = x;
  const stages = plan.stages;
  for (let i = 0; i < stages.length; i++) out = stages[i]!.forward(out, options);
  return out;
}

/**
 * Backpropagates `grad` (the loss gradient with respect to the last stage's output) down to the
 * first stage with parameters, which is asked for no input gradient; every parameter gradient
 * is added into its `Param.grad`.
 */
export function backwardStages(plan: TrainingPlan, grad: Tensor): void {
  const stages = plan.stages;
  const first = plan.firstTrainable;
  let g: Tensor | null = grad;
  for (let i = stages.length - 1; i >= first && g !== null; i--) {
    g = stages[i]!.backward(g, i === first ? WITHOUT_INPUT_GRAD : WITH_INPUT_GRAD);
  }
}
