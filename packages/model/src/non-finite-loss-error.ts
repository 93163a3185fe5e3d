import { ScratchnetError } from '@scratchnet/tensor';

/**
 * `fit` stopped because a batch's loss was NaN or infinite. It is thrown before that batch's
 * update, so the weights are those after the last step whose loss was finite. `epoch` and
 * `batch` count from 0, as `History.epoch` and the callbacks do (the message counts from 1).
 */
export class NonFiniteLossError extends ScratchnetError {
  override readonly name: string = 'NonFiniteLossError';
  readonly epoch: number;
  readonly batch: number;
  readonly loss: number;
  /** The last finite batch loss, or null when the first batch already failed. */
  readonly lastFiniteLoss: number | null;

  constructor(info: { epoch: number; batch: number; epochs: number; batches: number; loss: number; lastFiniteLoss: number | null }) {
    const last =
      info.lastFiniteLoss === null ? 'no batch before it had a finite loss' : `the last finite loss was ${info.lastFiniteLoss}`;
    super(
      `fit: the loss became ${info.loss} at epoch ${info.epoch + 1}/${info.epochs}, batch ${info.batch + 1}/${info.batches}; ${last}. ` +
        'The update of that batch was not applied, so the weights are those of the last finite step. ' +
        'Lower the learning rate, or check x and y for NaN or infinite values.',
    );
    this.epoch = info.epoch;
    this.batch = info.batch;
    this.loss = info.loss;
    this.lastFiniteLoss = info.lastFiniteLoss;
  }
}
