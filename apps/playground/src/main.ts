import { setBackend } from '@scratchnet/backend';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { simd } from 'wasm-feature-detect';
import type { Environment } from './backends.ts';
import { setCurrentModel } from './current-model.ts';
import { setUpDrawPanel } from './draw/draw-panel.ts';
import { setUpSavePanel } from './save/save-panel.ts';
import { loadShippedModel } from './shipped-model.ts';
import { setUpTrainPanel } from './train/train-panel.ts';
import './style.css';

// The page itself predicts on one digit at a time: the cpu backend is plenty. Training runs in a worker.
setBackend(new CpuBackend());

const env: Environment = { simd: await simd(), crossOriginIsolated: globalThis.crossOriginIsolated === true };
const badge = document.querySelector<HTMLElement>('#isolation')!;
badge.textContent = env.crossOriginIsolated ? 'cross-origin isolated: threads available' : 'not cross-origin isolated: no threads';
badge.classList.add(env.crossOriginIsolated ? 'ok' : 'warn');
badge.title = env.crossOriginIsolated
  ? 'The server sent COOP: same-origin and COEP: require-corp, so workers can share memory.'
  : 'The server must send Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp for threaded backends.';
document.body.dataset.isolated = String(env.crossOriginIsolated);

setUpDrawPanel();
setUpTrainPanel(env);
setUpSavePanel();
loadShippedModel().then(
  (model) => setCurrentModel(model, 'shipped with the page — pnpm demo train --save (10 epochs, 94.36% on the test digits)'),
  (error: unknown) => {
    document.querySelector('#model-label')!.textContent = `could not load the shipped model: ${String(error)}`;
  },
);
