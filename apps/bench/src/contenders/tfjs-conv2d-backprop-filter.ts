import * as tf from '@tensorflow/tfjs-core';

/**
 * TF.js 4.22's wasm backend registers no `Conv2DBackpropFilter`, so `fit` on any convolution
 * stops with "Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'". The bench adds
 * one built from tfjs ops the wasm backend has, as the measured reference did: the filter's
 * gradient `dW[a, b, c, f] = Σ_{n, i, j} xpad[n, i·s + a, j·s + b, c] · dy[n, i, j, f]` is a
 * convolution of the padded input seen as `[channels, height, width, batch]` by `dy` seen as a
 * filter `[outHeight, outWidth, batch, filters]`, dilated by the stride:
 * `conv2d(transpose(xpad), transpose(dy), 1, 'valid', dilations = strides)` gives
 * `[channels, kh', kw', filters]` (kh' ≥ kh when `same` padding left rows unused); its first kh × kw
 * taps, transposed to `[kh, kw, channels, filters]`, are the gradient. The bench's tests check it
 * against the cpu backend's kernel. Dilated filters are refused (tfjs has no gradient for them
 * on any backend).
 */
function conv2dBackpropFilter({ inputs, attrs }: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, pad, filterShape, dataFormat } = attrs as unknown as {
    strides: number | [number, number];
    pad: 'valid' | 'same' | number;
    filterShape: [number, number, number, number];
    dataFormat: string;
  };
  if (dataFormat !== 'NHWC') throw new Error(`Conv2DBackpropFilter (bench, wasm): only NHWC, got ${dataFormat}`);
  const [sh, sw] = typeof strides === 'number' ? [strides, strides] : strides;
  const [kh, kw, channels, filters] = filterShape;
  return tf.tidy(() => {
    const input = tf.engine().makeTensorFromTensorInfo(x);
    const grad = tf.engine().makeTensorFromTensorInfo(dy);
    const [, height, width] = input.shape as [number, number, number, number];
    const [, outHeight, outWidth] = grad.shape as [number, number, number, number];
    let [top, bottom, left, right] = [0, 0, 0, 0];
    if (pad === 'same') {
      const rows = Math.max((outHeight - 1) * sh + kh - height, 0);
      const cols = Math.max((outWidth - 1) * sw + kw - width, 0);
      [top, bottom, left, right] = [Math.floor(rows / 2), rows - Math.floor(rows / 2), Math.floor(cols / 2), cols - Math.floor(cols / 2)];
    } else if (typeof pad === 'number') {
      [top, bottom, left, right] = [pad, pad, pad, pad];
    } else if (pad !== 'valid') {
      throw new Error(`Conv2DBackpropFilter (bench, wasm): padding ${JSON.stringify(pad)} is not supported`);
    }
    const padded = top + bottom + left + right > 0 ? tf.pad(input, [[0, 0], [top, bottom], [left, right], [0, 0]]) : input;
    const taps = tf.conv2d(tf.transpose(padded, [3, 1, 2, 0]) as tf.Tensor4D, tf.transpose(grad, [1, 2, 0, 3]) as tf.Tensor4D, 1, 'valid', 'NHWC', [sh, sw]);
    return tf.keep(tf.transpose(tf.slice(taps, [0, 0, 0, 0], [channels, kh, kw, filters]), [1, 2, 0, 3]));
  });
}

/** Registers the kernel above for the wasm backend, once, unless tfjs has one of its own. */
export function ensureWasmConv2dBackpropFilter(): void {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm') !== undefined) return;
  tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: conv2dBackpropFilter as unknown as tf.KernelFunc });
}
