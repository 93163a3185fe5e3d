import { existsSync } from 'node:fs';

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

/** What `launchChromium` needs of playwright-core's `chromium`, which each package brings (this directory has no dependencies). */
export interface ChromiumLauncher<B> {
  launch(options: { executablePath: string; args: string[]; headless: boolean }): Promise<B>;
}

/**
 * Starts headless Chromium through `launcher` (playwright-core's `chromium`); a missing browser
 * is an error that says how to install it, never a skip. `who` names the tests that need it.
 */
export async function launchChromium<B>(launcher: ChromiumLauncher<B>, who: string, path = chromiumPath()): Promise<B> {
  if (!existsSync(path)) {
    throw new Error(
      `Chromium is not installed at ${path}, and ${who} need it. ` +
        'Install it with `apt-get update && apt-get install -y chromium` (Debian/Ubuntu; .ci/run does this when it is missing), ' +
        'or point SCRATCHNET_CHROMIUM at a Chrome or Chromium binary.',
    );
  }
  return launcher.launch({ executablePath: path, args: FLAGS, headless: true });
}
