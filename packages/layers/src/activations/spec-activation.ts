import { activationSpec, unarySpec, type ActivationOp, type UnaryParamName, type UnaryParams } from '@scratchnet/backend';
import { ValueError } from '@scratchnet/tensor';
import type { LayerConfig, LayerOptions } from '../layer.js';
import { activationFn, type ActivationFn } from './activation-fn.js';
import { ActivationLayer } from './activation-layer.js';

const PARAM_NAMES: readonly UnaryParamName[] = ['alpha', 'min', 'max'];

/**
 * A layer applying one elementwise activation of `UNARY_SPECS` (`ReLU`, `LeakyReLU`, `ELU`,
 * `Sigmoid`, `Tanh`): its class name is the spec's `layerClass`, its options and config are the
 * op's parameters, checked by the spec's rules, with the spec's defaults.
 */
export abstract class SpecActivation extends ActivationLayer {
  readonly className: string;
  /** The activation's op in `UNARY_SPECS`. */
  readonly op: ActivationOp;
  /** The op's parameters, each the one given or the spec's default. */
  readonly opParams: Readonly<UnaryParams>;
  protected readonly fn: ActivationFn;

  protected constructor(op: ActivationOp, options: LayerOptions & UnaryParams) {
    super(options);
    const className = activationSpec(op).layerClass;
    const specs = unarySpec(op).params;
    const params: UnaryParams = {};
    for (const key of PARAM_NAMES) {
      const spec = specs[key];
      if (spec === undefined) continue;
      const value = options[key] ?? spec.default;
      const finite = typeof value === 'number' && Number.isFinite(value);
      if (!finite || (spec.rule === 'finiteNonNegative' && value < 0)) {
        throw new ValueError(`${className}: ${key} must be a finite number${spec.rule === 'finiteNonNegative' ? ' >= 0' : ''}, got ${String(value)}`);
      }
      params[key] = value;
    }
    this.className = className;
    this.op = op;
    this.opParams = Object.freeze(params);
    this.fn = activationFn(className, activationSpec(op).kerasName, params);
  }

  override getConfig(): LayerConfig {
    return { name: this.name, ...this.opParams };
  }
}
