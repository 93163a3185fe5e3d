import { loadModel, memoryHandler } from '@scratchnet/model';
import { BACKENDS, unavailableReason, type Environment } from '../backends.ts';
import { setCurrentModel } from '../current-model.ts';
import { MODEL_KINDS, type ModelKindId } from '../models.ts';
import { lossAndAccuracy } from './charts.ts';
import { renderConfusion } from './confusion.ts';
import type { FromWorker, ToWorker, TrainConfig } from './protocol.ts';

const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;

/** The Train panel: the form, the backend picker, and the worker that trains. */
export function setUpTrainPanel(env: Environment): void {
  const worker = new Worker(new URL('./train-worker.ts', import.meta.url), { type: 'module' });
  const send = (message: ToWorker) => worker.postMessage(message);
  const status = $('#train-status');
  const buttons = { train: $<HTMLButtonElement>('#train'), stop: $<HTMLButtonElement>('#stop'), resume: $<HTMLButtonElement>('#resume'), use: $<HTMLButtonElement>('#use-trained') };
  const curves = lossAndAccuracy($('#loss-chart'), $('#accuracy-chart'));
  const speeds = new Map<string, number>();
  let config: TrainConfig | undefined;
  let lastTestAccuracy: number | undefined;
  let epochsDone = 0;

  const kinds = $<HTMLSelectElement>('#model-kind');
  for (const [id, kind] of Object.entries(MODEL_KINDS)) kinds.add(new Option(kind.label, id));
  const picker = $('#backends');
  const renderPicker = () => {
    const selected = picker.querySelector<HTMLInputElement>('input:checked')?.value ?? 'cpu';
    picker.replaceChildren(
      ...BACKENDS.map((choice) => {
        const reason = unavailableReason(choice, env);
        const row = document.createElement('label');
        row.className = `backend${reason === undefined ? '' : ' unavailable'}`;
        row.dataset.backend = choice.id;
        const input = Object.assign(document.createElement('input'), { type: 'radio', name: 'backend', value: choice.id, disabled: reason !== undefined, checked: choice.id === selected && reason === undefined });
        const speed = speeds.get(choice.id);
        const text = document.createElement('span');
        text.innerHTML = `<strong></strong> <span class="speed"></span><br /><small class="why"></small>`;
        text.querySelector('strong')!.textContent = choice.label;
        text.querySelector('.speed')!.textContent = speed === undefined ? '' : `${Math.round(speed).toLocaleString('en-US')} samples/s`;
        text.querySelector('.why')!.textContent = reason ?? '';
        row.append(input, text);
        return row;
      }),
    );
  };
  renderPicker();

  const setState = (state: 'idle' | 'training' | 'stopped' | 'done') => {
    buttons.train.disabled = state === 'training';
    buttons.stop.disabled = state !== 'training';
    buttons.resume.disabled = !(state === 'stopped' && config !== undefined && epochsDone < config.epochs);
    buttons.use.disabled = state === 'training' || state === 'idle';
    picker.querySelectorAll('input').forEach((input) => (input.disabled ||= state === 'training'));
    if (state !== 'training') renderPicker();
    status.dataset.state = state;
  };
  const say = (text: string, error = false) => {
    status.textContent = text;
    status.classList.toggle('error', error);
  };

  buttons.train.addEventListener('click', () => {
    const number = (id: string) => Number($<HTMLInputElement>(id).value);
    config = {
      model: kinds.value as ModelKindId,
      backend: picker.querySelector<HTMLInputElement>('input:checked')?.value ?? 'cpu',
      epochs: number('#epochs'),
      batchSize: number('#batch-size'),
      learningRate: number('#learning-rate'),
      seed: number('#seed'),
      dataUrl: new URL('mnist-digits.bin', document.baseURI).href,
    };
    epochsDone = 0;
    lastTestAccuracy = undefined;
    curves.reset();
    renderConfusion($('#confusion'), null);
    setState('training');
    send({ type: 'train', run: config });
  });
  buttons.stop.addEventListener('click', () => send({ type: 'stop' }));
  buttons.resume.addEventListener('click', () => {
    setState('training');
    send({ type: 'resume' });
  });
  buttons.use.addEventListener('click', () => send({ type: 'export' }));

  worker.addEventListener('message', (event: MessageEvent<FromWorker>) => {
    const m = event.data;
    switch (m.type) {
      case 'status':
        return say(m.text);
      case 'batch':
        curves.train(m.point);
        return say(`epoch ${m.epoch + 1}/${config!.epochs} · batch ${m.batch}/${m.batches} · loss ${m.running.loss.toFixed(3)} · ${Math.round(m.samplesPerSecond).toLocaleString('en-US')} samples/s`);
      case 'epoch':
        epochsDone = m.epoch;
        lastTestAccuracy = m.testAccuracy;
        curves.test(m.point.x, m.testLoss, m.testAccuracy);
        renderConfusion($('#confusion'), m.confusion);
        speeds.set(config!.backend, m.samplesPerSecond);
        status.dataset.testAccuracy = String(m.testAccuracy);
        status.dataset.epochs = String(m.epoch);
        return say(`epoch ${m.epoch}: test accuracy ${(m.testAccuracy * 100).toFixed(2)}%, test loss ${m.testLoss.toFixed(3)}`);
      case 'stopped':
        setState('stopped');
        return say(`stopped after ${m.epochsDone} of ${m.epochs} epochs${lastTestAccuracy === undefined ? '' : `: test accuracy ${(lastTestAccuracy * 100).toFixed(2)}%`}`);
      case 'done':
        setState('done');
        return say(`done: ${m.epochs} epoch${m.epochs === 1 ? '' : 's'}, test accuracy ${(lastTestAccuracy! * 100).toFixed(2)}%`);
      case 'artifacts':
        return void loadModel(memoryHandler({ manifest: m.manifest, weights: m.weights })).then(
          (model) => setCurrentModel(model, `trained here — ${epochsDone} epoch${epochsDone === 1 ? '' : 's'} on ${config!.backend}, test accuracy ${((lastTestAccuracy ?? 0) * 100).toFixed(2)}%`),
          (error: unknown) => say(String(error), true),
        );
      case 'error':
        setState(config === undefined || epochsDone === 0 ? 'idle' : 'stopped');
        return say(`${m.name}: ${m.message}`, true);
      default:
        return m satisfies never;
    }
  });
  worker.addEventListener('error', (event) => {
    setState('idle');
    say(`the training worker failed: ${event.message}`, true);
  });
  renderConfusion($('#confusion'), null);
  setState('idle');
}
