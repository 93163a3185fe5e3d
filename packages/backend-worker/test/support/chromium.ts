import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where the browser is: Debian's `chromium` package, or `SCRATCHNET_CHROMIUM`. */
export function chromiumPath(): string {
  return process.env.SCRATCHNET_CHROMIUM ?? '/usr/bin/chromium';
}

/**
 * Flags for a headless Chromium on a machine with no network but loopback: without the
 * background-networking ones it keeps trying to reach Google's hosts. `--no-sandbox` because CI
 * runs as root, where Chromium's sandbox refuses to start.
 */
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Starts headless Chromium; a missing browser is an error that says how to install it, never a skip. */
export async function launchChromium(path = chromiumPath()): Promise<Browser> {
  if (!existsSync(path)) {
    throw new Error(
      `Chromium is not installed at ${path}, and the browser tests need it. ` +
        'Install it with `apt-get update && apt-get install -y chromium` (Debian/Ubuntu; .ci/run does this when it is missing), ' +
        'or point SCRATCHNET_CHROMIUM at a Chrome or Chromium binary.',
    );
  }
  return chromium.launch({ executablePath: path, args: FLAGS, headless: true });
}
