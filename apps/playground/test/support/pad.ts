import type { Page } from 'playwright-core';

/** Draws a stroke through `points` (pad coordinates, 0-280) with real pointer input: down, moves, up. */
export async function stroke(p: Page, points: [number, number][]): Promise<void> {
  const pad = (await p.locator('#pad').boundingBox())!;
  const at = ([x, y]: [number, number]) => [pad.x + (x / 280) * pad.width, pad.y + (y / 280) * pad.height] as const;
  await p.mouse.move(...at(points[0]!));
  await p.mouse.down();
  for (const point of points.slice(1)) await p.mouse.move(...at(point), { steps: 2 });
  await p.mouse.up();
}

/** The digit the pad shows once it has predicted on the ink drawn so far. */
export async function predicted(p: Page): Promise<string> {
  // The pad predicts on the next animation frame after the ink changes.
  await p.waitForFunction(() => document.querySelector<HTMLElement>('#prediction')!.dataset.digit !== undefined);
  await p.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  return p.locator('#prediction').evaluate((el: HTMLElement) => el.dataset.digit ?? '');
}

/** Points around an ellipse centred at (`cx`, `cy`), pad coordinates: a drawn 0. */
export const ellipse = (cx: number, cy: number, rx: number, ry: number, n = 48): [number, number][] =>
  Array.from({ length: n + 1 }, (_, i) => [cx + rx * Math.sin((2 * Math.PI * i) / n), cy - ry * Math.cos((2 * Math.PI * i) / n)]);
