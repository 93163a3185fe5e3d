import type { Layer, LayerConfig, SymbolicShape } from '@scratchnet/layers';
import type { KerasLayerJson } from './tfjs-artifacts.js';

/** What an export translation may use: a way to refuse, naming the layer. */
export interface TfjsExportContext {
  /** Throws `toTfjsArtifacts: layer 'name' (Class) <why>`. */
  refuse(why: string): never;
}

/**
 * Our layer as a Keras layer: its `class_name` and the config keys of its own. `name`,
 * `trainable` and `dtype` are added for every layer, `batch_input_shape` for the first.
 */
export type TfjsExporter = (layer: Layer, context: TfjsExportContext) => KerasLayerJson;

/** What an import translation sees of one Keras layer, and the checks it can make. */
export interface TfjsImportContext {
  /** The Keras layer's name (also ours). */
  readonly name: string;
  /** Its Keras class name. */
  readonly kerasClassName: string;
  /** Its config: own keys only, in a null-prototype record. */
  readonly config: Readonly<Record<string, unknown>>;
  /** The shape flowing into the layer (batch `null`), when the topology says it. */
  readonly inputShape: SymbolicShape | undefined;
  /** The shape of this layer's weight `param` (`<name>/<param>` in weightSpecs); refuses when it has none. */
  weightShape(param: string): number[];
  /** Refuses config keys other than these (and those every layer has: name, trainable, dtype, …). */
  allow(keys: readonly string[]): void;
  /** Refuses when `key` is present and `ok(value)` is false: `has <key> <value>; only <what> is supported`. */
  require(key: string, ok: (value: unknown) => boolean, what: string): void;
  /** Throws `fromTfjsArtifacts: layer 'name' (Class) <why>; refusing rather than approximating it`. */
  refuse(why: string): never;
}

/**
 * A Keras layer as ours: the class name and config `layerFromConfig` rebuilds it from (`name` is
 * added). Its weights are then matched to the layer's parameters by name (`<name>/<param>`).
 */
export type TfjsImporter = (context: TfjsImportContext) => { className: string; config: Omit<LayerConfig, 'name'> };

/**
 * How one layer class crosses to TensorFlow.js and back — an entry of the translation table.
 * `className` + `toTfjs` export our class; `kerasClassName` + `fromTfjs` import a Keras class.
 * An entry may do one or both (several of our activation layers export as Keras `Activation`,
 * which one entry imports).
 */
export interface TfjsTranslation {
  className?: string;
  toTfjs?: TfjsExporter;
  kerasClassName?: string;
  fromTfjs?: TfjsImporter;
}
