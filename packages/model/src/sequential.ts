import { Layer, snakeCase, type ForwardOptions, type SymbolicShape } from '@scratchnet/layers';
import { ValueError, type Tensor } from '@scratchnet/tensor';
import { formatSummary } from './summary.js';

export interface SequentialOptions {
  layers?: Layer[];
  name?: string;
}

/**
 * A stack of layers, each feeding the next: the lesson's `SimpleNN`, made general. Layers without
 * a name get Keras-style unique names (`dense`, `dense_1`, `re_lu`) as they are added.
 */
export class Sequential {
  readonly name: string;
  readonly #layers: Layer[] = [];

  constructor(layersOrOptions: Layer[] | SequentialOptions = {}) {
    const options = Array.isArray(layersOrOptions) ? { layers: layersOrOptions } : layersOrOptions;
    this.name = options.name ?? 'sequential';
    for (const layer of options.layers ?? []) this.add(layer);
  }

  get layers(): readonly Layer[] {
    return this.#layers;
  }

  /** Appends `layer`; names it uniquely within the model when it has no name. */
  add(layer: Layer): this {
    if (!(layer instanceof Layer)) {
      throw new ValueError(`Sequential.add: expected a Layer, got ${describe(layer)}`);
    }
    if (this.#layers.includes(layer)) {
      throw new ValueError(`Sequential.add: layer '${layer.name}' is already in this model`);
    }
    const taken = new Set(this.#layers.map((l) => l.name));
    if (layer.hasName) {
      if (taken.has(layer.name)) throw new ValueError(`Sequential.add: a layer named '${layer.name}' is already in this model`);
    } else {
      const base = snakeCase(layer.className);
      let name = base;
      for (let i = 1; taken.has(name); i++) name = `${base}_${i}`;
      layer.assignName(name);
    }
    this.#layers.push(layer);
    return this;
  }

  /** Runs `x` through every layer in order. */
  forward(x: Tensor, options: ForwardOptions = {}): Tensor {
    if (this.#layers.length === 0) throw new ValueError(`Sequential '${this.name}': forward on a model with no layers`);
    let out = x;
    for (const layer of this.#layers) out = layer.forward(out, options);
    return out;
  }

  /** Inference: `forward` with training off. */
  predict(x: Tensor): Tensor {
    return this.forward(x, { training: false });
  }

  /** Shapes after each layer for an input of `inputShape` (batch dimension may be null). */
  outputShapes(inputShape: SymbolicShape): SymbolicShape[] {
    const shapes: SymbolicShape[] = [];
    let shape = inputShape;
    for (const layer of this.#layers) {
      shape = layer.outputShape(shape);
      shapes.push(shape);
    }
    return shapes;
  }

  /** Number of parameters (all trainable) over every built layer. */
  countParams(): number {
    let n = 0;
    for (const layer of this.#layers) n += layer.countParams();
    return n;
  }

  /**
   * A Keras-style table: each layer, its output shape and parameter count, then the totals.
   * Output shapes need the input size: from the first layer (e.g. `Dense(3, 8)`), a previous
   * `forward`, or `inputShape`.
   */
  summary(options: { inputShape?: SymbolicShape; printFn?: (line: string) => void; lineLength?: number } = {}): string {
    const text = formatSummary(this, options);
    (options.printFn ?? console.log)(text);
    return text;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'an object';
  return typeof value;
}
