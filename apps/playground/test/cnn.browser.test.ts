import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/chromium.ts';
import { ellipse, predicted, stroke } from './support/pad.ts';
import { servePlayground } from './support/servers.ts';

// The CNN in the page: picked in the Train panel, trained in the worker on the fastest backend
// the page enables, then used by the Draw panel, whose input is an image ([1, 28, 28, 1]).
let browser: Browser;
let server: { url: string; close: () => Promise<void> };
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  server = await servePlayground({ isolated: true });
  page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(server.url);
  await page.waitForFunction(() => document.querySelector('#model-label')?.textContent?.startsWith('model: shipped'));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the CNN in Chromium', () => {
  it('trains for one epoch in the worker (test accuracy >= 0.9), then reads a drawn 0 and 1 on the Draw pad', async () => {
    await page.selectOption('#model-kind', 'cnn');
    const available = await page.locator('#backends .backend').evaluateAll((els) => els.filter((el) => !el.querySelector('input')!.disabled).map((el) => (el as HTMLElement).dataset.backend!));
    const backend = available.includes('wasm') ? 'wasm' : 'cpu';
    await page.check(`#backends input[value="${backend}"]`);
    await page.fill('#epochs', '1');
    await page.fill('#learning-rate', '0.003');
    await page.click('#train');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#train-status')!.dataset.state === 'done', null, { timeout: 110_000 });
    const accuracy = Number(await page.locator('#train-status').getAttribute('data-test-accuracy'));
    console.log(`the CNN, one epoch in Chromium on ${backend}: test accuracy ${accuracy}`);
    expect(accuracy).toBeGreaterThanOrEqual(0.9);

    await page.click('#use-trained');
    await page.waitForFunction(() => document.querySelector('#model-label')!.textContent!.startsWith('model: trained here'));
    await stroke(page, ellipse(140, 140, 60, 95));
    expect(await predicted(page)).toBe('0');
    await page.click('#clear');
    await page.waitForFunction(() => document.querySelector('#prediction')!.textContent === 'draw a digit');
    await stroke(page, [[150, 40], [146, 120], [142, 240]]);
    expect(await predicted(page)).toBe('1');
    expect(pageErrors).toEqual([]);
  });
});
