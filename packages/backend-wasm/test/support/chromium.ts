import { chromium, type Browser } from 'playwright-core';
import { chromiumPath, launchChromium as launchWith } from '../../../../test-support/chromium.js';

/** Starts headless Chromium for this package's browser tests (see test-support/chromium.ts). */
export function launchChromium(path = chromiumPath()): Promise<Browser> {
  return launchWith(chromium, 'the browser tests', path);
}
