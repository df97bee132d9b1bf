// Headless Chromium for driving code-server's workbench. playwright-core brings no browser of its
// own here: it drives the system's chromium (Debian's package), found on PATH or named by
// RUNLOG_CHROMIUM.
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium } from 'playwright-core';

export const chromiumArgs = Object.freeze([
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
]);

export function findChromium() {
  const named = process.env.RUNLOG_CHROMIUM;
  if (named) {
    if (!existsSync(named)) throw new Error(`RUNLOG_CHROMIUM names ${named}, which does not exist`);
    return named;
  }
  const names = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of names) {
      const candidate = join(dir, name);
      if (dir && existsSync(candidate)) return candidate;
    }
  }
  throw new Error('no Chromium found: install it (apt-get install -y chromium) or set RUNLOG_CHROMIUM');
}

/**
 * @param {{ headless?: boolean }} [options]
 * @returns {Promise<import('playwright-core').Browser>}
 */
export async function launchChromium(options = {}) {
  // playwright kills the browsers it launched when this process exits or is interrupted.
  return chromium.launch({
    executablePath: findChromium(),
    headless: options.headless ?? true,
    args: [...chromiumArgs],
  });
}
