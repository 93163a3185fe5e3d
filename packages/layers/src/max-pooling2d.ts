import { Pooling2D, type Pooling2DOptions } from './pooling2d.js';

/**
 * The maximum of each `poolSize` window of channels-last images, per channel (Keras's
 * `MaxPooling2D`): `[batch, height, width, channels]` to `[batch, outHeight, outWidth, channels]`.
 * Its gradient goes to each window's first maximum (NaN first).
 */
export class MaxPooling2D extends Pooling2D {
  readonly className: string = 'MaxPooling2D';
  protected readonly reduction = 'max';

  constructor(options: Pooling2DOptions = {}) {
    super('MaxPooling2D', options);
  }
}
