import { loadModel, saveModel, type Sequential } from '@scratchnet/model';
import { browserDownloads, browserFiles, deleteIndexedDBModel, indexedDBHandler, listIndexedDBModels } from '@scratchnet/model/browser';
import { tensor } from '@scratchnet/tensor';
import { getCurrentModel, setCurrentModel } from '../current-model.ts';
import { MNIST_PIXELS } from '../data/mnist-digits.ts';

const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;

/** The Save panel: the current model to IndexedDB or downloads, and back from either. */
export function setUpSavePanel(): void {
  const status = $('#save-status');
  const errorBox = $('#save-error');
  const name = $<HTMLInputElement>('#save-name');
  const say = (text: string) => {
    status.textContent = text;
    errorBox.hidden = true;
  };
  // The loader's typed errors are shown as they are: the class, then the message naming the file and field.
  const fail = (error: unknown) => {
    const e = error instanceof Error ? error : new Error(String(error));
    errorBox.textContent = `${e.name}: ${e.message}`;
    errorBox.dataset.errorName = e.name;
    errorBox.hidden = false;
    status.textContent = '';
  };
  const task = (work: () => Promise<void>) => () => void work().catch(fail);
  const current = () => {
    const model = getCurrentModel()?.model;
    if (model === undefined) throw new Error('no model yet: wait for it to load, or train one');
    return model;
  };

  const refreshList = async () => {
    const list = $('#saved-list');
    const models = await listIndexedDBModels();
    list.replaceChildren(
      ...models.map((info) => {
        const li = document.createElement('li');
        const text = document.createElement('span');
        text.textContent = `${info.name} — ${(info.weightsByteLength / 1024).toFixed(0)} KB, saved ${new Date(info.savedAt).toLocaleString()}`;
        const load = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Load' });
        load.addEventListener('click', task(async () => use(await loadModel(indexedDBHandler(info.name)), `from this browser: ${info.name}`)));
        const remove = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Delete' });
        remove.addEventListener('click', task(async () => {
          await deleteIndexedDBModel(info.name);
          say(`deleted ${info.name}`);
          await refreshList();
        }));
        li.append(text, load, remove);
        return li;
      }),
    );
  };

  $('#save-idb').addEventListener('click', task(async () => {
    const result = await saveModel(current(), indexedDBHandler(name.value));
    say(`saved to ${result.location} (${(result.weightsByteLength / 1024).toFixed(0)} KB, CRC-32 ${result.checksum})`);
    await refreshList();
  }));
  $('#download').addEventListener('click', task(async () => {
    const result = await saveModel(current(), browserDownloads(name.value));
    say(`downloaded ${name.value}.json and ${result.weightsFile}`);
  }));
  const upload = $<HTMLInputElement>('#upload');
  upload.addEventListener('change', task(async () => {
    const files = Array.from(upload.files ?? []);
    upload.value = '';
    use(await loadModel(browserFiles(files)), `uploaded: ${files.map((f) => f.name).join(' + ')}`);
  }));

  const use = (model: Sequential, label: string) => {
    checkDigitClassifier(model);
    setCurrentModel(model, label);
    say(`now drawing with the model ${label}`);
  };
  void refreshList().catch(fail);
}

/** A model the Draw panel can use takes one 28×28 digit and gives ten probabilities. */
function checkDigitClassifier(model: Sequential): void {
  const inputShape = model.layers[0]?.inputShape?.slice(1).map((d) => d ?? 1) ?? [MNIST_PIXELS];
  const size = inputShape.reduce((a, b) => a * b, 1);
  if (size !== MNIST_PIXELS) throw new Error(`this model takes inputs of shape [${inputShape.join(', ')}], not a 28×28 digit`);
  const out = model.predict(tensor(new Float32Array(MNIST_PIXELS), { shape: [1, ...inputShape] }));
  if (out.size !== 10) throw new Error(`this model gives ${out.size} outputs, not one per digit`);
}
