import { chromium, type Browser } from 'playwright-core';
import { chromiumPath, launchChromium as launchWith } from '../../../../test-support/chromium.ts';

/** Starts headless Chromium for the playground's browser tests (see test-support/chromium.ts). */
export function launchChromium(path = chromiumPath()): Promise<Browser> {
  return launchWith(chromium, "the playground's browser tests", path);
}
