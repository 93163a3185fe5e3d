import { clone, copy, fill } from '@scratchnet/backend';
import { Layer, checkLoss, checkSymbolicShape, getLoss, snakeCase, type ForwardOptions, type Loss, type LossName, type SymbolicShape } from '@scratchnet/layers';
import { DTypeError, ShapeError, ValueError, formatShape, shapesEqual, zeros, type DType, type FloatDType, type Tensor } from '@scratchnet/tensor';
import { buildLayers } from './build-layers.js';
import { checkDataset, checkInputs, isTensor } from './dataset.js';
import { evaluateDataset, type EvaluationResult } from './evaluate-dataset.js';
import { fitModel, type Compiled } from './fit.js';
import { FitSession } from './fit-session.js';
import type { FitOptions } from './fit-options.js';
import type { History } from './history.js';
import { checkMetricNames, type MetricName } from './metrics/metric-registry.js';
import { checkInteger, checkOptions, describeValue } from './options.js';
import { getOptimizer, type OptimizerName } from './optimizers/optimizer-registry.js';
import type { NamedParam, Optimizer } from './optimizers/optimizer.js';
import { claimOptimizer } from './optimizers/optimizer-owner.js';
import { checkLossFitsModel, planTraining, type TrainingPlan } from './training-plan.js';
import { TRAINING, backwardStages, forwardStages } from './training-step.js';
import { formatSummary } from './summary.js';
import type { SaveHandler, SaveResult } from './io/handler.js';
import { saveModel, type SaveOptions } from './io/save-model.js';

/** Options of `Sequential.compile`: how to train (`optimizer`, `loss`) and what to report. */
export interface CompileOptions {
  /** An optimizer, or the name of one with default settings (`'adam'`, `'sgd'`, `'adamw'`, `'rmsprop'`). */
  optimizer: Optimizer | OptimizerName | (string & {});
  /** A loss name (`'sparseCategoricalCrossentropy'`, or one given to `registerLoss`) or a `Loss`. */
  loss: LossName | (string & {}) | Loss;
  /**
   * Reported besides the loss: `accuracy` (picked from the loss, as Keras does), a specific
   * accuracy, or a metric given to `registerMetric`.
   */
  metrics?: (MetricName | (string & {}))[];
}

/** What `computeGradients` returns: the batch's mean loss and d(loss)/d(parameter) per parameter key. */
export interface Gradients {
  loss: number;
  /** Keyed like `namedParams()` (`dense/kernel`), each shaped like its parameter; fresh tensors. */
  grads: Record<string, Tensor>;
}

/** Options of `predict` and `evaluate`, which run the data in batches to bound memory. */
export interface BatchOptions {
  /** Samples per forward pass; 32 by default. */
  batchSize?: number;
}

/** Options of `new Sequential(options)`; `new Sequential(layers)` is short for `{ layers }`. */
export interface SequentialOptions {
  /** Layers to add in order, as `add` would (unnamed ones get unique names); none by default. */
  layers?: Layer[];
  /** The model's name, saved in its manifest; `sequential` by default. */
  name?: string;
}

/**
 * A stack of layers, each feeding the next: the lesson's `SimpleNN`, made general. Layers without
 * a name get Keras-style unique names (`dense`, `dense_1`, `re_lu`) as they are added.
 */
export class Sequential {
  readonly name: string;
  readonly #layers: Layer[] = [];
  #compiled: Compiled | null = null;
  // The running fit, if any (see FitSession).
  #session: FitSession | null = null;
  // The plan `computeGradients` reuses (its criterion keeps buffers); dropped by compile and add.
  #gradientPlan: TrainingPlan | null = null;
  /** Set to true (by a callback such as `EarlyStopping`) to end `fit` after the current batch. */
  stopTraining = false;

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
    this.#gradientPlan = null;
    return this;
  }

  /**
   * Builds every layer not yet built for inputs of `inputShape` (`[null, 784]`, `[null, 28, 28,
   * 1]`): each gets the output shape of the one before it, so parameters exist — for `summary`,
   * `weights` or saving — before any data has been seen. `fit`, `evaluate` and `predict` do this
   * themselves.
   */
  build(inputShape: SymbolicShape): void {
    buildLayers(this.#layers, checkSymbolicShape(`Sequential '${this.name}'.build`, inputShape));
  }

  /** Runs `x` through every layer in order (building those not yet built). */
  forward<D extends DType>(x: Tensor<D>, options: ForwardOptions = {}): Tensor<D> {
    if (this.#layers.length === 0) throw new ValueError(`Sequential '${this.name}': forward on a model with no layers`);
    if (isTensor(x) && x.rank > 0) buildLayers(this.#layers, x.shape);
    let out: Tensor = x;
    for (const layer of this.#layers) out = layer.forward(out, options);
    // Every layer computes in its input's dtype (it refuses another), so the output keeps x's.
    return out as Tensor<D>;
  }

  /**
   * Inference on `x` `[n, …]`, in batches of `batchSize` rows (32 by default), concatenated:
   * the result is `[n, …]` whatever the batch size. Dropout is off; nothing is cached.
   */
  predict<D extends DType>(x: Tensor<D>, options?: BatchOptions): Tensor<D> {
    const o = checkOptions('predict', options, ['batchSize']);
    const batchSize = checkInteger('predict', 'batchSize', o.batchSize ?? 32, 1);
    const inputs = checkInputs('predict', x) as Tensor<D>;
    const n = inputs.shape[0]!;
    if (n <= batchSize) return this.forward(inputs, { training: false });
    let result: Tensor<D> | null = null;
    for (let start = 0; start < n; start += batchSize) {
      const end = Math.min(n, start + batchSize);
      const out = this.forward(inputs.slice(start, end), { training: false });
      result ??= zeros([n, ...out.shape.slice(1)], { dtype: out.dtype });
      copy(out, result.slice(start, end));
    }
    return result!;
  }

  /**
   * Sets the optimizer, the loss and the metrics `fit` and `evaluate` use. Checked here: option
   * names, the optimizer and loss names, the metric names, and whether the loss fits the last
   * layer (see `fit` for the softmax rule). Compiling again replaces all three.
   */
  compile(options: CompileOptions): void {
    if (this.#session !== null) throw new ValueError(`compile: model '${this.name}' is training; compile after its fit has resolved`);
    const o = checkOptions('compile', options, ['optimizer', 'loss', 'metrics']);
    if (o.optimizer === undefined) throw new ValueError("compile: optimizer is required, e.g. compile({ optimizer: 'adam', loss: … })");
    if (o.loss === undefined) throw new ValueError("compile: loss is required, e.g. compile({ optimizer, loss: 'sparseCategoricalCrossentropy' })");
    let optimizer: Optimizer;
    try {
      optimizer = getOptimizer(o.optimizer);
    } catch (error) {
      if (error instanceof ValueError) error.message = `compile: ${error.message}`;
      throw error;
    }
    const loss = resolveLoss(o.loss);
    const metrics = checkMetricNames(o.metrics ?? []);
    checkLossFitsModel('compile', this.#layers, loss);
    claimOptimizer('compile', optimizer, this);
    this.#compiled = { optimizer, loss, metrics };
    this.#gradientPlan = null;
  }

  /** The compiled optimizer (its state holds the moments, for saving). */
  get optimizer(): Optimizer | undefined {
    return this.#compiled?.optimizer;
  }

  /** The compiled loss. */
  get loss(): Loss | undefined {
    return this.#compiled?.loss;
  }

  /** The compiled metric names (`accuracy`, …), as `fit` reports them. */
  get metrics(): readonly string[] | undefined {
    return this.#compiled?.metrics;
  }

  /**
   * Trains on `x` `[n, …]` and labels `y` (`[n]` int32 class indices for the sparse losses,
   * `[n, outputs]` otherwise) for `epochs`, in shuffled batches of `batchSize`, and resolves to
   * the `History` of per-epoch losses and metrics. Async: it yields to the event loop between
   * batches, so timers and UIs keep running. Options are checked first: an unknown option or
   * a bad value is a ValueError, and so are labels that do not fit the loss.
   *
   * A model ending in a softmax and trained with (sparse) categorical cross-entropy is trained
   * on its logits with the fused softmax cross-entropy (gradient `(p − y) / N`), which stays
   * finite when the outputs saturate. A NaN or infinite loss stops training with a
   * `NonFiniteLossError` before that batch's update.
   */
  async fit(x: Tensor, y: Tensor, options?: FitOptions): Promise<History> {
    const compiled = this.#requireCompiled('fit');
    if (this.#session !== null) throw new ValueError(`fit: model '${this.name}' is already training; await the running fit first`);
    const session = new FitSession();
    this.#session = session;
    try {
      return await fitModel(this, compiled, session, x, y, options);
    } finally {
      this.#session = null;
    }
  }

  /** Mean loss and metrics over `x`, `y` in inference mode, in batches of `batchSize` (32 by default). */
  evaluate(x: Tensor, y: Tensor, options?: BatchOptions): EvaluationResult {
    const compiled = this.#requireCompiled('evaluate');
    this.#refuseMidFit('evaluate');
    const o = checkOptions('evaluate', options, ['batchSize']);
    const batchSize = checkInteger('evaluate', 'batchSize', o.batchSize ?? 32, 1);
    if (this.#layers.length === 0) throw new ValueError(`Sequential '${this.name}': evaluate on a model with no layers`);
    const data = checkDataset('evaluate', this.#layers, compiled.loss, compiled.metrics, x, y);
    buildLayers(this.#layers, data.x.shape);
    return evaluateDataset(planTraining(this.#layers, compiled.loss), data, batchSize);
  }

  /**
   * The mean loss of the batch `x`, `y` under the compiled loss, and its gradient with respect to
   * every parameter — what one `fit` step computes, without the update (`tf.variableGrads`, a
   * Keras `GradientTape` loop). Runs in training mode (Dropout drops) and through the same path
   * as `fit`, fused softmax included, so `applyGradients(grads)` after it is exactly a `fit`
   * step. Leaves each `Param.grad` holding the gradients too.
   */
  computeGradients(x: Tensor, y: Tensor): Gradients {
    const compiled = this.#requireCompiled('computeGradients');
    this.#refuseMidFit('computeGradients');
    if (this.#layers.length === 0) throw new ValueError(`Sequential '${this.name}': computeGradients on a model with no layers`);
    const data = checkDataset('computeGradients', this.#layers, compiled.loss, [], x, y);
    buildLayers(this.#layers, data.x.shape);
    const plan = (this.#gradientPlan ??= planTraining(this.#layers, compiled.loss));
    const params = this.namedParams();
    for (const { param } of params) fill(param.grad, 0);
    const out = forwardStages(plan, data.x, TRAINING);
    const loss = plan.criterion.compute(out, data.y, true);
    backwardStages(plan, plan.criterion.grad!);
    const grads: Record<string, Tensor> = {};
    for (const { key, param } of params) grads[key] = clone(param.grad);
    return { loss, grads };
  }

  /**
   * One update of the compiled optimizer from `grads` (as `computeGradients` returns them, keyed
   * like `namedParams()`): the gradients are copied into the parameters' `grad`, then the
   * optimizer steps every parameter given — all of them, or a subset (the others stay as they
   * are). Keys, shapes and dtypes are all checked before anything changes.
   */
  applyGradients(grads: Record<string, Tensor>): void {
    const optimizer = this.#requireCompiled('applyGradients').optimizer;
    this.#refuseMidFit('applyGradients');
    if (grads === null || typeof grads !== 'object' || Array.isArray(grads)) {
      throw new ValueError(`applyGradients: grads must be an object of tensors keyed like namedParams() ('dense/kernel'), got ${describeValue(grads)}`);
    }
    const byKey = new Map(this.namedParams().map((p) => [p.key, p]));
    const selected: NamedParam[] = [];
    for (const [key, grad] of Object.entries(grads)) {
      const named = byKey.get(key);
      if (named === undefined) {
        throw new ValueError(`applyGradients: ${JSON.stringify(key)} is not a parameter of model '${this.name}'; its keys are ${[...byKey.keys()].join(', ')}`);
      }
      const target = named.param.value;
      if (!isTensor(grad)) throw new ValueError(`applyGradients: grads[${JSON.stringify(key)}] must be a Tensor, got ${describeValue(grad)}`);
      if (!shapesEqual(grad.shape, target.shape)) {
        throw new ShapeError(`applyGradients: grads[${JSON.stringify(key)}] has shape ${formatShape(grad.shape)}, the parameter ${formatShape(target.shape)}`);
      }
      if (grad.dtype !== target.dtype) throw new DTypeError(`applyGradients: grads[${JSON.stringify(key)}] is ${grad.dtype}, the parameter ${target.dtype}`);
      selected.push(named);
    }
    for (const { key, param } of selected) copy(grads[key]!, param.grad);
    optimizer.applyGradients(selected);
  }

  /**
   * Every trainable parameter with its key `layer/param` (`dense/kernel`), in layer order: what
   * the optimizer updates, and the keys of `computeGradients`, `applyGradients` and the saved
   * optimizer state.
   */
  namedParams(): NamedParam[] {
    const out: NamedParam[] = [];
    for (const layer of this.#layers) for (const param of layer.params()) out.push({ key: `${layer.name}/${param.name}`, param });
    return out;
  }

  /**
   * Every parameter, trainable or not (BatchNormalization's moving statistics), with its key, in
   * layer order and each layer's trainable ones first (Keras's `model.weights`): what `weights`,
   * `getWeights`/`setWeights`, saving and the TF.js export hold.
   */
  namedWeights(): NamedParam[] {
    const out: NamedParam[] = [];
    for (const layer of this.#layers) for (const param of layer.allParams()) out.push({ key: `${layer.name}/${param.name}`, param });
    return out;
  }

  /** Every parameter tensor itself (see `namedWeights`), in layer order (kernel before bias); writes go through. */
  get weights(): Tensor<FloatDType>[] {
    // Param refuses any other dtype.
    return this.namedWeights().map((p) => p.param.value as Tensor<FloatDType>);
  }

  /** Copies of the parameter tensors, in the order of `weights`. */
  getWeights(): Tensor<FloatDType>[] {
    return this.weights.map((w) => clone(w));
  }

  /**
   * Copies `weights` (as `getWeights` returns them) into the parameters. The count, every shape
   * and every dtype are checked before anything is written, so a mismatch changes nothing.
   */
  setWeights(weights: readonly Tensor[]): void {
    const current = this.weights;
    if (!Array.isArray(weights)) throw new ValueError(`setWeights: expected an array of tensors, got ${describeValue(weights)}`);
    if (weights.length !== current.length) {
      throw new ValueError(`setWeights: model '${this.name}' has ${current.length} weight tensors, got ${weights.length}`);
    }
    const keys = this.namedWeights().map((p) => p.key);
    weights.forEach((w, i) => {
      const target = current[i]!;
      if (w === null || typeof w !== 'object' || !Array.isArray(w.shape)) throw new ValueError(`setWeights: weights[${i}] (${keys[i]}) must be a Tensor, got ${describeValue(w)}`);
      if (!shapesEqual(w.shape, target.shape)) {
        throw new ShapeError(`setWeights: weights[${i}] (${keys[i]}) has shape ${formatShape(w.shape)}, expected ${formatShape(target.shape)}`);
      }
      if (w.dtype !== target.dtype) throw new DTypeError(`setWeights: weights[${i}] (${keys[i]}) is ${w.dtype}, expected ${target.dtype}`);
    });
    weights.forEach((w, i) => copy(w, current[i]!));
  }

  #requireCompiled(where: string): Compiled {
    if (this.#compiled === null) {
      throw new ValueError(`${where}: model '${this.name}' is not compiled; call ${suggestCompile(this.#layers[this.#layers.length - 1])}`);
    }
    return this.#compiled;
  }

  /**
   * A fit yields between batches, so code that did not await it could run now and read (or
   * step) weights half-way through training. The fit's own callbacks may: that is what they
   * are for. (`predict` stays allowed: live predictions while training are what a UI wants.)
   */
  #refuseMidFit(where: string): void {
    if (this.#session !== null && this.#session.callbackDepth === 0) {
      throw new ValueError(
        `${where}: model '${this.name}' is training (a fit has not resolved yet), so its weights are half-way through an epoch; ` +
          `await the fit first, or call ${where} from one of its callbacks (onEpochEnd) to see the model as it trains`,
      );
    }
  }

  /** Shapes after each layer for an input of `inputShape` (batch dimension may be null). */
  outputShapes(inputShape: SymbolicShape): SymbolicShape[] {
    const shapes: SymbolicShape[] = [];
    let shape = inputShape;
    for (const layer of this.#layers) {
      shape = layer.computeOutputShape(shape);
      shapes.push(shape);
    }
    return shapes;
  }

  /** Number of parameter elements over every built layer, trainable and not (Keras's `count_params`). */
  countParams(): number {
    let n = 0;
    for (const layer of this.#layers) n += layer.countParams();
    return n;
  }

  /**
   * A Keras-style table: each layer, its output shape and parameter count, then the totals.
   * Output shapes need the input shape: `inputShape`, else the one the first layer was built for
   * (e.g. `Dense(3, 8)`, `build`, or a previous `fit` or `predict`).
   */
  summary(options: { inputShape?: SymbolicShape; printFn?: (line: string) => void; lineLength?: number } = {}): string {
    const text = formatSummary(this, options);
    (options.printFn ?? console.log)(text);
    return text;
  }

  /**
   * Saves the model, and its compiled optimizer's state, through `handler` (see `saveModel`):
   * `memoryHandler()`, or `fileSystemHandler(dir)` from `@scratchnet/model/node`.
   */
  save(handler: SaveHandler, options?: SaveOptions): Promise<SaveResult> {
    return saveModel(this, handler, options);
  }
}

function resolveLoss(loss: unknown): Loss {
  if (typeof loss === 'string') {
    try {
      return getLoss(loss);
    } catch (error) {
      if (error instanceof ValueError) error.message = `compile: ${error.message}`;
      throw error;
    }
  }
  if (loss === null || typeof loss !== 'object') {
    throw new ValueError(`compile: loss must be a loss name or a Loss (with name, expects, compute and check), got ${describeValue(loss)}`);
  }
  return checkLoss('compile: loss', loss);
}

/** A compile call that fits what the model's last layer outputs (softmax, sigmoid or anything), and why. */
function suggestCompile(last: Layer | undefined): string {
  switch (last?.outputKind) {
    case 'softmax':
      return "model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] }) first: the model ends in a softmax and the labels are class indices (with one-hot labels, 'categoricalCrossentropy')";
    case 'sigmoid':
      return "model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] }) first: the model ends in a sigmoid and the labels are 0 or 1";
    default:
      return "model.compile({ optimizer: 'adam', loss: 'meanSquaredError' }) first for a regression; to classify, end the model with a Softmax and use 'sparseCategoricalCrossentropy', or use 'sparseSoftmaxCrossentropy' on these outputs as logits";
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'an object';
  return typeof value;
}
