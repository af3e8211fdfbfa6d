import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { ensureDebianPackages } from './debian';

const CHROMIUM = '/usr/bin/chromium';

/** Debian's Chromium: installed with apt-get when running as root, else a loud failure. */
function ensureChromium(): string {
  if (!existsSync(CHROMIUM)) ensureDebianPackages(['chromium'], 'The browser tests');
  return CHROMIUM;
}

/**
 * Headless Chromium with the flags this machine needs: no sandbox as root, no background network,
 * and autoplay allowed (without it an AudioContext started without a click stays suspended).
 */
export function launchChromium(options: { extraArgs?: string[] } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: ensureChromium(),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
      ...(options.extraArgs ?? []),
    ],
    // Playwright gives every launch a fresh temporary profile (the --user-data-dir the notes ask for).
  });
}
