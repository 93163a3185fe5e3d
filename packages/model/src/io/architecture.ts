import { layerFromConfig, registeredLayerClasses, withUnknownBatch, type Layer } from '@scratchnet/layers';
import { ValueError, getGlobalRng } from '@scratchnet/tensor';
import type { LayerSpec } from './manifest.js';

/** Where rebuilding an architecture failed: the layer's index, and what about it. */
export class ArchitectureError extends Error {
  readonly index: number;
  /** `className`: not a registered class; `config`: its config did not rebuild it; `build`: it could not be built. */
  readonly field: 'className' | 'config' | 'build';
  readonly reason: unknown;

  constructor(index: number, field: 'className' | 'config' | 'build', reason: unknown) {
    super(reason instanceof Error ? reason.message : String(reason));
    this.index = index;
    this.field = field;
    this.reason = reason;
  }
}

/**
 * The layers of a saved architecture, as loading rebuilds them — and as saving checks that it
 * can: each layer from its class name and config (`layerFromConfig`); then every layer that the
 * saved weights show was built (`savedParams` holds `layer/param` keys) but whose config leaves
 * it unbuilt — a layer that sizes its parameters from its input, as `Flatten`-then-`Dense` or a
 * layer of your own does — is built for the shape flowing to it from the first layer's input
 * shape. The global Rng is left as it was (initializers run here, and loading overwrites them).
 * Failures are `ArchitectureError`s naming the layer's index.
 */
export function layersFromArchitecture(architecture: readonly LayerSpec[], savedParams: Iterable<string>): Layer[] {
  const rng = getGlobalRng();
  const state = rng.getState();
  try {
    const layers = architecture.map(({ className, config }, i) => {
      try {
        return layerFromConfig(className, config);
      } catch (error) {
        throw new ArchitectureError(i, registeredLayerClasses().includes(className) ? 'config' : 'className', error);
      }
    });
    const withWeights = new Set<string>();
    for (const key of savedParams) withWeights.add(key.slice(0, key.lastIndexOf('/')));
    const needsBuild = (layer: Layer) => !layer.built && withWeights.has(layer.name);
    const first = layers.findIndex(needsBuild);
    if (first === -1) return layers;
    const inputShape = layers[0]!.inputShape;
    if (inputShape === undefined) {
      throw new ArchitectureError(
        first,
        'build',
        new ValueError(
          `layer '${layers[first]!.name}' has weights, but its config does not say its input shape and nothing before it does either ` +
            `(the first layer's config gives no input shape), so it cannot be built to receive them`,
        ),
      );
    }
    let shape = withUnknownBatch(inputShape);
    layers.forEach((layer, i) => {
      try {
        if (needsBuild(layer)) layer.build(shape);
        shape = layer.computeOutputShape(shape);
      } catch (error) {
        throw new ArchitectureError(i, 'build', error);
      }
    });
    return layers;
  } finally {
    rng.setState(state);
  }
}
