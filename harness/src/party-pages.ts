/**
 * A party driven through its pages, for tests that care about what runs underneath (the media
 * node's container, the production worker): a stereo test library, the host starting a party and
 * playing, listeners following the invite, and a look at each page's WebRTC connections.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthWav } from '@dmp-party/app/synth-audio';
import type { Browser, Page } from 'playwright-core';
import { clickUntil } from './click-until';

export const PARTY_ALBUM = { artist: 'Container Artist', title: 'Container Album' };

/** A tone pair: the left channel at `leftHz`, the right at `rightHz` (what audio-probe listens for). */
export interface ToneTrack {
  title: string;
  leftHz: number;
  rightHz: number;
}

/**
 * One album of stereo WAV tracks under `musicDir`. A track that ends stops the party's audio, so
 * runs longer than a minute want longer tracks (a lower sample rate keeps the files small).
 */
export function writeToneLibrary(
  musicDir: string,
  tracks: ToneTrack[],
  { seconds = 60, sampleRate = 48_000 }: { seconds?: number; sampleRate?: number } = {},
): void {
  const album = join(musicDir, PARTY_ALBUM.artist, PARTY_ALBUM.title);
  mkdirSync(album, { recursive: true });
  for (const [index, track] of tracks.entries()) {
    const id3 = { title: track.title, artist: PARTY_ALBUM.artist, album: PARTY_ALBUM.title };
    writeFileSync(
      join(album, `0${index + 1} - ${track.title}.wav`),
      synthWav({ seconds, sampleRate, leftHz: track.leftHz, rightHz: track.rightHz, id3 }),
    );
  }
}

/**
 * A new page in its own browser context, with its warnings in the test log and its
 * RTCPeerConnections recorded (for `liveDtlsStates`) before any of its scripts run.
 */
export async function openPage(browser: Browser, name: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  page.on('console', (message) => {
    if (['warning', 'error'].includes(message.type())) console.log(`[${name}] ${message.text()}`);
  });
  page.on('pageerror', (error) => console.log(`[${name}] page error: ${error.message}`));
  // Transpilers may wrap named functions in `__name(...)`, which pages lack.
  await page.addInitScript({ content: 'globalThis.__name ??= (fn) => fn;' });
  await page.addInitScript(() => {
    const Native = window.RTCPeerConnection;
    const connections: RTCPeerConnection[] = [];
    const createdAt: number[] = [];
    Object.assign(window, { __peerConnections: connections, __peerConnectionsCreatedAt: createdAt });
    window.RTCPeerConnection = class extends Native {
      constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
        super(...args);
        connections.push(this);
        createdAt.push(Date.now());
      }
    };
  });
  return page;
}

/**
 * The DTLS state of every connection the page still has open (not closed by the page itself):
 * `closed` there means the other side, the media node, said goodbye.
 */
export function liveDtlsStates(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections
      .filter((connection) => connection.signalingState !== 'closed')
      .flatMap((connection) => [...connection.getSenders(), ...connection.getReceivers()])
      .map((endpoint) => endpoint.transport?.state ?? 'none'),
  );
}

/** Wall-clock times (ms since epoch) at which the page created its RTCPeerConnections. */
export function peerConnectionTimes(page: Page): Promise<number[]> {
  return page.evaluate(() => [
    ...(window as unknown as { __peerConnectionsCreatedAt: number[] }).__peerConnectionsCreatedAt,
  ]);
}

/** The host opens /party on its app and starts a party; returns the invite link it shows. */
export async function startHostParty(host: Page, hostAppUrl: string): Promise<string> {
  await host.goto(`${hostAppUrl}/party`);
  const invite = host.getByTestId('invite-url');
  const start = host.getByTestId('start-session');
  const shown = async () => (await invite.count()) > 0 && (await invite.inputValue()).startsWith('http');
  try {
    // Clicked until it reacts (the button goes): a click before hydration finds no handler yet.
    await clickUntil(start, async () => (await start.count()) === 0);
    const deadline = Date.now() + 30_000;
    while (!(await shown())) {
      if (Date.now() > deadline) throw new Error('no invite link within 30 s');
      await host.waitForTimeout(100);
    }
  } catch (error) {
    const text = await host
      .locator('main')
      .textContent()
      .catch(() => '(no main)');
    throw new Error(`the host page showed no invite link; it said: ${text}`, { cause: error });
  }
  return invite.inputValue();
}

/** The host plays `title` from the test album, through the library pages. */
export async function playTrack(host: Page, title: string): Promise<void> {
  await host.getByRole('link', { name: 'Releases' }).click();
  await host.getByRole('link', { name: PARTY_ALBUM.title }).click();
  await host.getByRole('button', { name: `Play ${title}` }).click();
  await host.getByTestId('now-title').filter({ hasText: title }).waitFor();
}
