/**
 * TensorFlow.js Layers artifacts: what `tf.io.withSaveHandler` hands over and `tf.io.fromMemory`
 * / `tf.loadLayersModel` accept — the Keras topology JSON, the weight specs, and the float32
 * weight bytes (little-endian, in spec order).
 */
export interface TfjsWeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: unknown;
  group?: string;
}

/** A model in TensorFlow.js's Layers format: the `model.json` topology and weights manifest, and the weight bytes. */
export interface TfjsArtifacts {
  modelTopology: Record<string, unknown>;
  weightSpecs: TfjsWeightSpec[];
  /** One buffer, or (tfjs >= 4.10) several to be read as one. */
  weightData: ArrayBuffer | ArrayBuffer[];
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  [key: string]: unknown;
}

/** One layer of a Keras/TF.js topology: `{ class_name: 'Dense', config: { units: 8, … } }`. */
export interface KerasLayerJson {
  class_name: string;
  config: Record<string, unknown>;
}
