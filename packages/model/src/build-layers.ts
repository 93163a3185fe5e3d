import { withUnknownBatch, type Layer, type SymbolicShape } from '@scratchnet/layers';
import { ValueError } from '@scratchnet/tensor';

/**
 * Builds the layers not yet built, in order, for inputs shaped like `inputShape` (the batch
 * dimension is ignored): each layer is built for the output shape of the one before it, which
 * `computeOutputShape` gives without running anything. `shouldBuild` may leave some unbuilt.
 */
export function buildLayers(
  layers: readonly Layer[],
  inputShape: SymbolicShape,
  shouldBuild: (layer: Layer, index: number) => boolean = () => true,
): void {
  if (layers.every((l) => l.built)) return;
  let shape = withUnknownBatch(inputShape);
  layers.forEach((layer, i) => {
    if (!layer.built && shouldBuild(layer, i)) {
      layer.build(shape);
      if (!layer.built) {
        throw new ValueError(
          `layer ${layer.describe()} is not built after build(${JSON.stringify(shape)}); a Layer subclass creates its parameters in createParams and leaves build to the base class`,
        );
      }
    }
    shape = layer.computeOutputShape(shape);
  });
}
