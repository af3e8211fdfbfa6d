/**
 * Icecast measured the way the party is: the same 1-second click track (ffmpeg as the source
 * client, MP3 128 kbps) played by an `<audio>` element in the same Chromium, with the same onset
 * detector; delay from each click leaving the source to its onset in the page, and time to first
 * audio from opening the page (on Icecast's origin) to the first onset of a steady tone.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthWav } from '@dmp-party/app/synth-audio';
import { launchChromium } from '@dmp-party/harness/chromium';
import { startIcecast } from '@dmp-party/harness/icecast';
import type { Browser, Page } from 'playwright-core';
import { installOnsetProbe, readOnsets } from '../party-audio/onset-probe';
import { waitFor } from '../party-audio/run-party-audio';
import { type Summary, summarize } from '../stats';

const CLICK_EVERY_MS = 1000;
/**
 * Every thirtieth click is left out: the gap tells which click is which for any delay under 30 s
 * (Chromium buffers about 12 s of a live MP3 before it plays).
 */
const MARK_EVERY = 30;

export interface IcecastResult {
  burstOnConnect: boolean;
  delayMs: Summary;
  firstAudioMs: Summary;
}

export interface IcecastOptions {
  listeners: number;
  delaySeconds: number;
  firstAudioRuns: number;
}

/** The party benchmark's click track, with every thirtieth click silenced. */
function markedClicks(seconds: number): Buffer {
  const wav = synthWav({
    seconds,
    sampleRate: 48_000,
    leftHz: 1000,
    rightHz: 1000,
    clicks: { everyMs: CLICK_EVERY_MS, lengthMs: 30 },
  });
  const data = wav.indexOf('data') + 8;
  for (let click = 0; click < seconds; click += MARK_EVERY) {
    const frame = click * 48_000;
    wav.fill(0, data + frame * 4, data + (frame + 48 * 40) * 4);
  }
  return wav;
}

/** The listener page: one `<audio>` playing the mount named after `#`. */
const LISTEN_PAGE = `<!doctype html><title>peer</title><audio id="peer-audio" autoplay></audio>
<script>document.getElementById('peer-audio').src = '/' + location.hash.slice(1);</script>`;

/**
 * Delays of `onsets` from clicks sent at `startedAt + k s` (k not a multiple of 30). The onset
 * after the silenced click's gap is click 30m+1, which fixes the whole seconds of the delay.
 */
export function markedClickDelays(onsets: number[], startedAt: number): number[] {
  const period = CLICK_EVERY_MS * MARK_EVERY;
  const afterGap = onsets.filter((onset, i) => i > 0 && onset - (onsets[i - 1] ?? 0) > 1.5 * CLICK_EVERY_MS);
  const coarse = afterGap.map((onset) => (((onset - startedAt - CLICK_EVERY_MS) % period) + period) % period);
  const delay = summarize(coarse).p50;
  if (!Number.isFinite(delay)) return [];
  return onsets.map((onset) => {
    const click = Math.round((onset - startedAt - delay) / CLICK_EVERY_MS);
    return onset - (startedAt + click * CLICK_EVERY_MS);
  });
}

async function openPage(browser: Browser, url: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await installOnsetProbe(page, { source: 'media-element' });
  await page.goto(url);
  return page;
}

export async function runIcecastBench(
  burstOnConnect: boolean,
  options: IcecastOptions,
): Promise<IcecastResult> {
  const dir = mkdtempSync(join(tmpdir(), 'dmp-peer-audio-'));
  let browser: Browser | undefined;
  const icecast = await (async () => {
    writeFileSync(join(dir, 'clicks.wav'), markedClicks(120));
    writeFileSync(
      join(dir, 'tone.wav'),
      synthWav({ seconds: 120, sampleRate: 48_000, leftHz: 440, rightHz: 660 }),
    );
    return startIcecast({
      mounts: { 'clicks.mp3': join(dir, 'clicks.wav'), 'tone.mp3': join(dir, 'tone.wav') },
      burstOnConnect,
      pages: { 'listen.html': LISTEN_PAGE },
    });
  })();
  try {
    // Long enough for a whole burst to be queued on the server.
    await new Promise((resolve) => setTimeout(resolve, 6000));
    browser = await launchChromium();
    console.error(`[bench] peers: Icecast (burst ${burstOnConnect ? 'on' : 'off'}), delay`);
    const pages = [];
    for (let i = 0; i < options.listeners; i++)
      pages.push(await openPage(browser, `${icecast.url}/listen.html#clicks.mp3`));
    // Measured after the pages settled (a burst plays out first), over a window with a gap in it.
    const settledAt = Date.now() + 20_000;
    const windowMs = Math.max(options.delaySeconds, MARK_EVERY + 2) * 1000;
    await new Promise((resolve) => setTimeout(resolve, settledAt + windowMs - Date.now()));
    const startedAt = icecast.sourceStartedAt['clicks.mp3'] ?? Number.NaN;
    const delays: number[] = [];
    for (const page of pages) {
      const onsets = (await readOnsets(page)).filter((onset) => onset > settledAt);
      delays.push(...markedClickDelays(onsets, startedAt));
      await page.context().close();
    }
    console.error(`[bench] peers: Icecast (burst ${burstOnConnect ? 'on' : 'off'}), time to first audio`);
    const firstAudio: number[] = [];
    for (let run = 0; run < options.firstAudioRuns; run++) {
      const page = await openPage(browser, `${icecast.url}/listen.html#tone.mp3`);
      await waitFor(async () => (await readOnsets(page)).length > 0, 20_000, 'first audio from Icecast');
      firstAudio.push(await page.evaluate(() => (window.__onsets?.[0] ?? 0) - performance.timeOrigin));
      await page.context().close();
    }
    return { burstOnConnect, delayMs: summarize(delays), firstAudioMs: summarize(firstAudio) };
  } finally {
    await browser?.close();
    await icecast.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
