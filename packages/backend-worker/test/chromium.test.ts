import { describe, expect, it } from 'vitest';
import { launchChromium } from './support/chromium.js';

describe('the browser tests without a browser', () => {
  it('fail with a message that says how to install Chromium, rather than skipping', async () => {
    await expect(launchChromium('/nonexistent/chromium')).rejects.toThrow(
      'Chromium is not installed at /nonexistent/chromium, and the browser tests need it. Install it with `apt-get update && apt-get install -y chromium`',
    );
  });
});
