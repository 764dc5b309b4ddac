import { type Browser, chromium } from 'playwright-core';

/**
 * Debian's Chromium, headless, as root, with everything that would try the network turned off
 * (this machine has none; without these flags Chromium floods refused connections).
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
