/**
 * `@scratchnet/model/tfjs`: TensorFlow.js Layers interop — `toTfjsArtifacts` for
 * `tf.loadLayersModel(tf.io.fromMemory(…))`, `fromTfjsArtifacts` for what
 * `tf.io.withSaveHandler` hands over — through a translation table with one entry per layer
 * class, which `registerTfjsLayer` extends to layers of your own. Isomorphic.
 */
export { toTfjsArtifacts } from './tfjs/to-tfjs.js';
export { fromTfjsArtifacts } from './tfjs/from-tfjs.js';
export { registerTfjsLayer } from './tfjs/registry.js';
export type { KerasLayerJson, TfjsArtifacts, TfjsWeightSpec } from './tfjs/tfjs-artifacts.js';
export type { TfjsExportContext, TfjsExporter, TfjsImportContext, TfjsImporter, TfjsTranslation } from './tfjs/translation.js';
