import { loadModel, memoryHandler, type Sequential } from '@scratchnet/model';

/**
 * The model shipped with the page in `public/model/`: what `pnpm demo train --save` wrote (the
 * demo's MLP, 10 epochs, seed 42, 94.36 % on the test digits). Loaded and validated like any
 * other saved model.
 */
export async function loadShippedModel(): Promise<Sequential> {
  const base = new URL('model/', document.baseURI);
  const manifestResponse = await fetch(new URL('model.json', base));
  if (!manifestResponse.ok) throw new Error(`cannot load model/model.json: HTTP ${manifestResponse.status}`);
  const manifest = (await manifestResponse.json()) as { weightsFile: string };
  const weightsResponse = await fetch(new URL(manifest.weightsFile, base));
  if (!weightsResponse.ok) throw new Error(`cannot load model/${manifest.weightsFile}: HTTP ${weightsResponse.status}`);
  return loadModel(memoryHandler({ manifest, weights: await weightsResponse.arrayBuffer() }));
}
