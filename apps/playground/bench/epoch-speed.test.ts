import { loadavg } from 'node:os';
import { it } from 'vitest';
import { launchChromium } from '../test/support/chromium.ts';
import { servePlayground } from '../test/support/servers.ts';

/**
 * samples/s of one epoch of the MLP in the page (Chromium, the built app), backends taking turns
 * so that a change in the machine's load hits them alike; prints each epoch, the best of each
 * backend and the ratios to the first. Not part of `pnpm test` (timing is not asserted):
 *
 *   pnpm --filter @scratchnet/playground bench                        # cpu against js-threads, 4 rounds
 *   BACKENDS=cpu,js-threads,wasm ROUNDS=6 pnpm --filter @scratchnet/playground bench
 */
const backends = (process.env.BACKENDS ?? 'cpu,js-threads').split(',');
const rounds = Number(process.env.ROUNDS ?? 4);

it(`one epoch per backend, ${rounds} rounds: ${backends.join(', ')}`, async () => {
  const browser = await launchChromium();
  const server = await servePlayground({ isolated: true });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(server.url);
    await page.waitForFunction(() => document.querySelector('#model-label')?.textContent?.startsWith('model: shipped'));
    const speeds: Record<string, number[]> = {};
    const load = [loadavg()[0]!];
    for (let round = 0; round < rounds; round++) {
      for (const backend of backends) {
        await page.check(`#backends input[value="${backend}"]`);
        await page.fill('#epochs', '1');
        await page.click('#train');
        await page.waitForFunction(() => document.querySelector<HTMLElement>('#train-status')!.dataset.state === 'done', null, { timeout: 180_000 });
        const text = (await page.locator(`#backends [data-backend="${backend}"] .speed`).textContent())!;
        (speeds[backend] ??= []).push(Number(text.replace(/[^\d]/g, '')));
      }
      load.push(loadavg()[0]!);
    }
    const best = Object.fromEntries(backends.map((b) => [b, Math.max(...speeds[b]!)]));
    console.log(`samples/s per epoch: ${JSON.stringify(speeds)}`);
    console.log(`best: ${backends.map((b) => `${b} ${best[b]!.toLocaleString('en-US')} (${(best[b]! / best[backends[0]!]!).toFixed(2)}×)`).join(', ')}`);
    console.log(`1-minute load average during the run: ${Math.min(...load).toFixed(2)}–${Math.max(...load).toFixed(2)}`);
  } finally {
    await browser.close();
    await server.close();
  }
}, 1_800_000);
