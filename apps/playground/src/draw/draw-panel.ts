import { tensor } from '@scratchnet/tensor';
import { getCurrentModel, onCurrentModel } from '../current-model.ts';
import { MNIST_PIXELS } from '../data/mnist-digits.ts';
import { renderBars } from './bars.ts';
import { createPad } from './pad.ts';
import { preprocessDigit } from './preprocess.ts';

/** Wires the pad to the current model: every stroke re-predicts, live. */
export function setUpDrawPanel(): void {
  const canvas = document.querySelector<HTMLCanvasElement>('#pad')!;
  const preview = document.querySelector<HTMLCanvasElement>('#preview')!;
  const prediction = document.querySelector<HTMLElement>('#prediction')!;
  const bars = document.querySelector<HTMLElement>('#bars')!;
  const modelLabel = document.querySelector<HTMLElement>('#model-label')!;

  const update = () => {
    const ink = pad.intensity();
    const digit = preprocessDigit(ink.data, ink.width, ink.height);
    showPreview(preview, digit);
    const current = getCurrentModel();
    if (digit === null || current === undefined) {
      prediction.textContent = digit === null ? 'draw a digit' : 'loading the model…';
      prediction.dataset.digit = '';
      renderBars(bars, null);
      return;
    }
    const inputShape = current.model.layers[0]?.inputShape?.slice(1) ?? [MNIST_PIXELS];
    const probabilities = current.model.predict(tensor(digit, { shape: [1, ...inputShape.map((d) => d ?? 1)] })).data;
    let best = 0;
    for (let d = 1; d < 10; d++) if (probabilities[d]! > probabilities[best]!) best = d;
    prediction.textContent = `${best}`;
    prediction.dataset.digit = String(best);
    prediction.title = `${(probabilities[best]! * 100).toFixed(1)}% sure`;
    renderBars(bars, probabilities);
  };
  const pad = createPad(canvas, update);
  document.querySelector('#clear')!.addEventListener('click', () => pad.clear());
  onCurrentModel(({ label }) => {
    modelLabel.textContent = `model: ${label}`;
    update();
  });
  renderBars(bars, null);
}

/** What the network sees, 28×28, drawn into the small preview canvas. */
function showPreview(canvas: HTMLCanvasElement, digit: Float32Array | null): void {
  const ctx = canvas.getContext('2d')!;
  const image = ctx.createImageData(28, 28);
  for (let i = 0; i < MNIST_PIXELS; i++) {
    const v = Math.round((digit?.[i] ?? 0) * 255);
    image.data.set([v, v, v, 255], i * 4);
  }
  ctx.putImageData(image, 0, 0);
}
