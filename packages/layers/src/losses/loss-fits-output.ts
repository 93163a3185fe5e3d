import type { OutputKind } from '../layer.js';
import type { LossInput } from './loss.js';

/**
 * Whether a loss expecting `expects` can take the output of a layer whose output is `kind`:
 * softmax probabilities need a softmax; elementwise probabilities a sigmoid or a softmax; logits
 * must not already be probabilities (the loss would normalize them twice); values are anything.
 */
export function lossFitsOutput(expects: LossInput, kind: OutputKind): boolean {
  switch (expects) {
    case 'softmax':
      return kind === 'softmax';
    case 'probabilities':
      return kind !== 'other';
    case 'logits':
      return kind === 'other';
    case 'values':
      return true;
    default:
      return unreachable(expects);
  }
}

function unreachable(value: never): never {
  throw new Error(`lossFitsOutput: unknown loss input ${String(value)}`);
}
