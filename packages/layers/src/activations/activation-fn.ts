import {
  ACTIVATION_OPS,
  activationBackward,
  activationSpec,
  softmax,
  softmaxBackward,
  unaryOp,
  type ActivationOp,
  type UNARY_SPECS,
  type UnaryParams,
} from '@scratchnet/backend';
import { ValueError, type Tensor } from '@scratchnet/tensor';

/** The Keras/TF.js names of the elementwise activations in `UNARY_SPECS` (`relu`, `elu`, …). */
export type ElementwiseActivationName = (typeof UNARY_SPECS)[ActivationOp]['activation']['kerasName'];

/** Activation names as Keras and TensorFlow.js spell them in configs: the spec's, plus two more. */
export type ActivationName = 'linear' | ElementwiseActivationName | 'softmax';

/** The spec's elementwise activations by Keras name. */
const BY_KERAS_NAME: ReadonlyMap<string, ActivationOp> = new Map(ACTIVATION_OPS.map((op) => [activationSpec(op).kerasName, op]));

/** Every name `activationFn` (and so `Dense({ activation })`) accepts. */
export const ACTIVATION_NAMES: readonly ActivationName[] = ['linear', ...(BY_KERAS_NAME.keys() as Iterable<ElementwiseActivationName>), 'softmax'];

/** The spec's op behind a Keras activation name, or undefined for `linear`, `softmax` and unknown names. */
export function activationOpOf(name: string): ActivationOp | undefined {
  return BY_KERAS_NAME.get(name);
}

/**
 * One activation's forward and backward. `saves` says which tensor `backward` needs: the
 * activation's input (ReLU family) or its output (sigmoid, tanh, elu, softmax: the derivative is
 * cheapest from y), so a layer caches exactly that one.
 */
export interface ActivationFn {
  readonly name: ActivationName;
  readonly saves: 'input' | 'output' | 'nothing';
  forward(x: Tensor, out?: Tensor): Tensor;
  backward(saved: Tensor | undefined, dy: Tensor, out?: Tensor): Tensor;
}

const outOpt = (out: Tensor | undefined) => (out ? { out } : {});

/**
 * The activation called `name`: `linear`, `softmax` (over the last axis), or an elementwise one
 * of `UNARY_SPECS` by its Keras name, with `params` (its spec's defaults for those left out).
 */
export function activationFn(owner: string, name: unknown, params: UnaryParams = {}): ActivationFn {
  if (name === 'linear') return { name, saves: 'nothing', forward: (x) => x, backward: (_saved, dy) => dy };
  if (name === 'softmax') {
    return {
      name,
      saves: 'output',
      forward: (x, out) => softmax(x, outOpt(out)),
      backward: (saved, dy, out) => softmaxBackward(saved!, dy, outOpt(out)),
    };
  }
  const op = typeof name === 'string' ? activationOpOf(name) : undefined;
  if (op === undefined) {
    throw new ValueError(`${owner}: unknown activation ${JSON.stringify(name)}; expected one of ${ACTIVATION_NAMES.join(', ')}`);
  }
  return {
    name: name as ElementwiseActivationName,
    saves: activationSpec(op).saves,
    forward: (x, out) => unaryOp(op, x, { params, ...outOpt(out) }),
    backward: (saved, dy, out) => activationBackward(op, saved!, dy, { ...params, ...outOpt(out) }),
  };
}
