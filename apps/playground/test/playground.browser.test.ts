import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/chromium.ts';
import { ellipse, predicted, stroke } from './support/pad.ts';
import { servePlayground } from './support/servers.ts';
import { trainInNode } from './support/train-in-node.ts';

/** Artifacts (screenshots) for people to look at; gitignored. */
const RESULTS = fileURLToPath(new URL('../test-results/', import.meta.url));

let browser: Browser;
let server: { url: string; close: () => Promise<void> };
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(RESULTS, { recursive: true });
  browser = await launchChromium();
  server = await servePlayground({ isolated: true });
  page = await openPage(server.url);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function openPage(url: string): Promise<Page> {
  const p = await browser.newPage({ viewport: { width: 1280, height: 1000 }, acceptDownloads: true });
  p.on('pageerror', (error) => pageErrors.push(error.message));
  await p.goto(url);
  await p.waitForFunction(() => document.querySelector('#model-label')?.textContent?.startsWith('model: shipped'));
  return p;
}

/** Clicks Download with `name` and keeps the two files the page hands over. */
async function downloadPair(p: Page, name: string): Promise<{ manifest: string; weights: string; remove: () => void }> {
  await p.fill('#save-name', name);
  const dir = mkdtempSync(join(tmpdir(), 'playground-downloads-'));
  const saved: string[] = [];
  const both = new Promise<void>((resolve, reject) => {
    const onDownload = (download: Download) => {
      const path = join(dir, download.suggestedFilename());
      download.saveAs(path).then(() => {
        saved.push(download.suggestedFilename());
        if (saved.length === 2) {
          p.off('download', onDownload);
          resolve();
        }
      }, reject);
    };
    p.on('download', onDownload);
  });
  await p.click('#download');
  await both;
  expect(saved.sort()).toEqual([`${name}.json`, `${name}.weights.bin`]);
  return { manifest: join(dir, `${name}.json`), weights: join(dir, `${name}.weights.bin`), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

describe('the playground in Chromium, served with COOP/COEP', () => {
  it('is cross-origin isolated, and the picker offers every backend: cpu, wasm on 1 and 2 threads, JavaScript on 2 threads', async () => {
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await page.textContent('#isolation')).toBe('cross-origin isolated: threads available');
    const rows = await page.locator('#backends .backend').evaluateAll((els) =>
      els.map((el) => ({ id: (el as HTMLElement).dataset.backend, enabled: !el.querySelector('input')!.disabled, why: el.querySelector('.why')!.textContent })),
    );
    expect(rows).toEqual([
      { id: 'cpu', enabled: true, why: '' },
      { id: 'wasm', enabled: true, why: '' },
      { id: 'wasm-threads', enabled: true, why: '' },
      { id: 'js-threads', enabled: true, why: '' },
    ]);
  });

  it('a blank pad says "draw a digit"; a drawn 1, 0 and 7 are recognised, live, with probabilities', async () => {
    expect(await page.textContent('#prediction')).toBe('draw a digit');
    expect(await page.locator('#bars').getAttribute('data-probabilities')).toBe('');

    await stroke(page, [[150, 40], [146, 120], [142, 240]]);
    expect(await predicted(page)).toBe('1');
    const probabilities = (await page.locator('#bars').getAttribute('data-probabilities'))!.split(',').map(Number);
    expect(probabilities).toHaveLength(10);
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
    expect(Math.max(...probabilities)).toBe(probabilities[1]);

    await page.click('#clear');
    await page.waitForFunction(() => document.querySelector('#prediction')!.textContent === 'draw a digit');
    await stroke(page, ellipse(140, 140, 60, 95));
    expect(await predicted(page)).toBe('0');

    await page.click('#clear');
    await stroke(page, [[70, 50], [210, 50], [160, 140], [120, 240]]);
    expect(await predicted(page)).toBe('7');
  });

  it('draws with a finger too: touch input becomes pointer events on the pad', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, hasTouch: true });
    const p = await context.newPage();
    p.on('pageerror', (error) => pageErrors.push(error.message));
    await p.goto(server.url);
    await p.waitForFunction(() => document.querySelector('#model-label')?.textContent?.startsWith('model: shipped'));
    await p.evaluate(() => {
      const seen = new Set<string>();
      document.querySelector('#pad')!.addEventListener('pointermove', (e) => seen.add((e as PointerEvent).pointerType));
      (window as unknown as { pointerTypes: Set<string> }).pointerTypes = seen;
    });
    const pad = (await p.locator('#pad').boundingBox())!;
    const at = (x: number, y: number) => ({ x: pad.x + (x / 280) * pad.width, y: pad.y + (y / 280) * pad.height });
    const cdp = await context.newCDPSession(p);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [at(150, 40)] });
    for (let y = 50; y <= 240; y += 10) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [at(150 - (y - 40) / 25, y)] });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    expect(await predicted(p)).toBe('1');
    expect(await p.evaluate(() => [...(window as unknown as { pointerTypes: Set<string> }).pointerTypes])).toEqual(['touch']);
    await context.close();
  });

  it('stays responsive while the worker trains: the pad predicts between batches', async () => {
    await page.fill('#epochs', '20');
    await page.click('#train');
    await page.waitForFunction(() => /batch \d+\/63/.test(document.querySelector('#train-status')!.textContent!));
    await page.click('#clear');
    await stroke(page, [[150, 40], [146, 120], [142, 240]]);
    expect(await predicted(page)).toBe('1');
    expect(await page.locator('#train-status').getAttribute('data-state')).toBe('training');
    // Training went on meanwhile: more batches are reported after the drawing than before.
    const batchesSoFar = Number(await page.locator('#loss-chart').getAttribute('data-points'));
    await page.waitForFunction((n) => Number(document.querySelector<HTMLElement>('#loss-chart')!.dataset.points) > n, batchesSoFar);
    await page.click('#stop');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#train-status')!.dataset.state === 'stopped');
    await page.click('#clear');
  });

  it('trains the MLP for one epoch in a worker on every available backend: test accuracy >= 0.85, curves, a confusion matrix, the same weights as Node on the same backend', async () => {
    const config = { epochs: 1, batchSize: 128, learningRate: 0.001, seed: 42 };
    // Like with like: each backend the picker enables must train to the very bytes that the same
    // backend, made by the picker's own `create` line, trains in Node (the wasm backend's float32
    // matmul sums in float32, so its bytes are not the cpu backend's; the JavaScript threads are
    // Node's WorkerBackend there). wasm on 2 threads must also give wasm's bytes on 1, and the
    // JavaScript threads the cpu backend's (both are bitwise the same for every thread count).
    const available = await page.locator('#backends .backend').evaluateAll((els) => els.filter((el) => !el.querySelector('input')!.disabled).map((el) => (el as HTMLElement).dataset.backend!));
    expect(available).toEqual(['cpu', 'wasm', 'wasm-threads', 'js-threads']);
    const trainedBytes = new Map<string, Buffer>();
    for (const backend of available) {
      const node = await trainInNode(config, backend);
      await page.check(`#backends input[value="${backend}"]`);
      await page.fill('#epochs', String(config.epochs));
      await page.click('#train');
      await page.waitForFunction(() => document.querySelector<HTMLElement>('#train-status')!.dataset.state === 'done', null, { timeout: 90_000 });
      const status = page.locator('#train-status');
      const accuracy = Number(await status.getAttribute('data-test-accuracy'));
      expect(accuracy, backend).toBeGreaterThanOrEqual(0.85);
      expect(await status.textContent()).toMatch(/^done: 1 epoch, test accuracy \d+\.\d\d%$/);
      for (const chart of ['#loss-chart', '#accuracy-chart']) {
        await page.waitForFunction((sel) => Number(document.querySelector<HTMLElement>(sel)!.dataset.testPoints) === 1, chart);
        // One point per batch (63 of 128 digits) and one for the test digits.
        expect(Number(await page.locator(chart).getAttribute('data-points'))).toBe(64);
      }
      const cells = await page.locator('#confusion tbody tr').evaluateAll((rows) => rows.map((r) => Array.from(r.querySelectorAll('td'), (td) => Number(td.textContent)).slice(0, 10)));
      expect(cells.flat().reduce((a, b) => a + b, 0)).toBe(1756);
      const diagonal = cells.reduce((sum, row, i) => sum + row[i]!, 0);
      expect(diagonal / 1756).toBeCloseTo(accuracy, 10);
      const speed = (await page.locator(`#backends [data-backend="${backend}"] .speed`).textContent())!;
      expect(speed).toMatch(/^[\d,]+ samples\/s$/);
      expect(await page.textContent('#speed-note')).toMatch(/^samples\/s beside a backend: training digits per second over its last epoch here/);
      // For the record in the test log (not asserted: the machine is shared).
      console.log(`one epoch in Chromium on ${backend}: ${speed}; the same in Node on ${backend}: ${Math.round(node.samplesPerSecond).toLocaleString('en-US')} samples/s`);

      // The page's model, exported from the worker, is bitwise the model Node trains with the same code and seed.
      await page.click('#use-trained');
      await page.waitForFunction(() => document.querySelector('#model-label')!.textContent!.startsWith('model: trained here'));
      const files = await downloadPair(page, 'trained');
      try {
        const bytes = Buffer.from(readFileSync(files.weights));
        expect(bytes.equals(Buffer.from(node.weights)), backend).toBe(true);
        expect(accuracy).toBe(node.testAccuracy);
        trainedBytes.set(backend, bytes);
      } finally {
        files.remove();
      }
    }
    expect(trainedBytes.get('wasm-threads')!.equals(trainedBytes.get('wasm')!)).toBe(true);
    // The words: the threaded backend's weights equal the cpu backend's.
    expect(trainedBytes.get('js-threads')!.equals(trainedBytes.get('cpu')!)).toBe(true);
    // A test that could not tell the backends apart would prove little: cpu's bytes differ from wasm's.
    expect(trainedBytes.get('cpu')!.equals(trainedBytes.get('wasm')!)).toBe(false);
  });

  it('stop ends training after the current batch; resume trains the epochs left', async () => {
    // Where the stop lands depends on how fast the page trains, so the test reads it and checks
    // what follows from it: resume trains the epochs left, 64 batches each.
    const epochs = 4;
    await page.fill('#epochs', String(epochs));
    await page.click('#train');
    await page.waitForFunction(() => /batch \d+\/63/.test(document.querySelector('#train-status')!.textContent!));
    await page.click('#stop');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#train-status')!.dataset.state === 'stopped');
    const status = (await page.textContent('#train-status'))!;
    const match = /^stopped after (\d+) of 4 epochs: test accuracy/.exec(status);
    expect(match, status).not.toBeNull();
    const stoppedIn = Number(match![1]);
    expect(stoppedIn).toBeLessThan(epochs);
    const pointsWhenStopped = Number(await page.locator('#loss-chart').getAttribute('data-points'));
    expect(pointsWhenStopped).toBeLessThan(64 * stoppedIn);
    expect(await page.isEnabled('#resume')).toBe(true);
    await page.click('#resume');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#train-status')!.dataset.state === 'done', null, { timeout: 180_000 });
    expect(await page.locator('#train-status').getAttribute('data-epochs')).toBe(String(epochs));
    await page.waitForFunction((n) => Number(document.querySelector<HTMLElement>('#loss-chart')!.dataset.points) === n, pointsWhenStopped + 64 * (epochs - stoppedIn));
    expect(Number(await page.locator('#train-status').getAttribute('data-test-accuracy'))).toBeGreaterThanOrEqual(0.85);
  });

  it('saves to IndexedDB (kept across a reload), downloads, and uploads the downloaded pair back', async () => {
    await page.fill('#save-name', 'digits');
    await page.click('#save-idb');
    await page.waitForFunction(() => document.querySelector('#save-status')!.textContent!.startsWith('saved to indexeddb://scratchnet-models/digits'));

    const files = await downloadPair(page, 'digits');
    try {
      expect(JSON.parse(readFileSync(files.manifest, 'utf8'))).toMatchObject({ format: 'scratchnet-model', weightsFile: 'digits.weights.bin' });
      await page.setInputFiles('#upload', [files.manifest, files.weights]);
      await page.waitForFunction(() => document.querySelector('#model-label')!.textContent!.startsWith('model: uploaded: '));
      expect(await page.isHidden('#save-error')).toBe(true);
    } finally {
      files.remove();
    }

    await page.reload();
    await page.waitForFunction(() => document.querySelector('#saved-list')!.textContent!.includes('digits'));
    await page.click('#saved-list li:has-text("digits") button:has-text("Load")');
    await page.waitForFunction(() => document.querySelector('#model-label')!.textContent === 'model: from this browser: digits');
    await stroke(page, [[150, 40], [146, 120], [142, 240]]);
    expect(await predicted(page)).toBe('1');
  });

  it('a file that is not a scratchnet model shows the loader\'s typed error in the page', async () => {
    await page.setInputFiles('#upload', [{ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"hello": "world"}') }]);
    await page.waitForFunction(() => !document.querySelector<HTMLElement>('#save-error')!.hidden);
    expect(await page.locator('#save-error').getAttribute('data-error-name')).toBe('ModelFormatError');
    expect(await page.textContent('#save-error')).toMatch(/^ModelFormatError: notes\.json: /);

    await page.setInputFiles('#upload', [{ name: 'picture.png', mimeType: 'image/png', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]) }]);
    await page.waitForFunction(() => document.querySelector('#save-error')!.textContent!.includes('picture.png'));
    expect(await page.textContent('#save-error')).toMatch(/^ModelFormatError: picture\.png: not (valid JSON|UTF-8 text)/);
    // The model in use is unchanged.
    expect(await page.textContent('#model-label')).toBe('model: from this browser: digits');
  });

  it('looks right: a screenshot after drawing and training (test-results/playground.png)', async () => {
    const p = await openPage(server.url);
    await p.fill('#epochs', '2');
    await p.click('#train');
    await stroke(p, [[80, 70], [130, 45], [190, 55], [200, 100], [150, 150], [90, 230], [210, 230]]);
    await p.waitForFunction(() => document.querySelector<HTMLElement>('#train-status')!.dataset.state === 'done', null, { timeout: 90_000 });
    expect(await predicted(p)).toBe('2');
    await p.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await p.screenshot({ path: join(RESULTS, 'playground.png'), fullPage: true });
    await p.close();
    expect(pageErrors).toEqual([]);
  });
});

describe('the playground served without COOP/COEP', () => {
  it('says it is not isolated, and the picker says the threaded backends need isolation', async () => {
    const plain = await servePlayground({ isolated: false });
    try {
      const p = await openPage(plain.url);
      expect(await p.evaluate(() => crossOriginIsolated)).toBe(false);
      expect(await p.textContent('#isolation')).toBe('not cross-origin isolated: no threads');
      const why = await p.locator('#backends .backend').evaluateAll((els) => Object.fromEntries(els.map((el) => [(el as HTMLElement).dataset.backend, el.querySelector('.why')!.textContent])));
      expect(why.cpu).toBe('');
      expect(why.wasm).toBe('');
      for (const id of ['wasm-threads', 'js-threads']) expect(why[id], id).toMatch(/^the page is not cross-origin isolated \(its server must send Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp\)/);
      await p.close();
    } finally {
      await plain.close();
    }
  });
});
