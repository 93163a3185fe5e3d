import { Pooling2D, type Pooling2DOptions } from './pooling2d.js';

/**
 * The mean of each `poolSize` window of channels-last images, per channel (Keras's
 * `AveragePooling2D`); with `same` padding a window averages the positions inside the image only.
 */
export class AveragePooling2D extends Pooling2D {
  readonly className: string = 'AveragePooling2D';
  protected readonly reduction = 'avg';

  constructor(options: Pooling2DOptions = {}) {
    super('AveragePooling2D', options);
  }
}
