import { zerosLike, type Tensor } from '@scratchnet/tensor';

/**
 * A trainable tensor and the gradient `backward` accumulates into it. `name` is unique within
 * its layer (`kernel`, `bias`), the way Keras names weights.
 */
export class Param {
  readonly name: string;
  readonly value: Tensor;
  readonly grad: Tensor;

  constructor(name: string, value: Tensor) {
    this.name = name;
    this.value = value;
    this.grad = zerosLike(value);
  }
}
