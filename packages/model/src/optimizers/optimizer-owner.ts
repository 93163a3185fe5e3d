import { ValueError } from '@scratchnet/tensor';
import type { Optimizer } from './optimizer.js';

/** The model each optimizer was first compiled into; an entry lives as long as its optimizer. */
const owners = new WeakMap<Optimizer, { readonly name: string }>();

/**
 * Makes `model` the one model `optimizer` ever trains. An optimizer keeps moments and a step
 * count per parameter key (`dense/kernel`), and models share such keys, so one optimizer stepping
 * two models would mix their moments silently — and one handed on after training the first would
 * start the second with the first's moments. Keras refuses the same; so does this, naming both.
 * Compiling the same model again with its own optimizer is fine.
 */
export function claimOptimizer(where: string, optimizer: Optimizer, model: { readonly name: string }): void {
  const owner = owners.get(optimizer);
  if (owner !== undefined && owner !== model) {
    const other = owner.name === model.name ? 'another model also named' : 'model';
    throw new ValueError(
      `${where}: this ${optimizer.className} is already compiled into ${other} '${owner.name}'; ` +
        `an optimizer keeps moments and a step count for one model's parameters, so give model '${model.name}' its own ` +
        `(a new ${optimizer.className}(…), or a name such as '${optimizer.className.toLowerCase()}')`,
    );
  }
  owners.set(optimizer, model);
}
