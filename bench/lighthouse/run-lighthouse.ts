/**
 * Lighthouse's mobile audit (its default: a mid-range phone on slow 4G, simulated) of the pages a
 * phone opens most: the listener's invite link to a live party, the listener site's home and a
 * release page, and the host's /party. The whole party runs locally (party-stack.ts) and the host
 * plays, so the invite page is measured as a listener meets it. Each page runs several times in
 * Debian's Chromium; the run with the median performance score is reported.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthWav } from '@dmp-party/app/synth-audio';
import { launchChromium } from '@dmp-party/harness/chromium';
import { startHostParty } from '@dmp-party/harness/party-pages';
import { type PartyStack, startPartyStack } from '@dmp-party/harness/party-stack';
import { BIG_COVER_ALBUM, writePhoneLibrary } from '@dmp-party/harness/phone-library';
import { ensureWorkerBinary } from '@dmp-party/media-node/worker-build';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import type { Browser, Page } from 'playwright-core';

export interface LighthousePage {
  name: string;
  url: string;
}

export interface LighthouseFigures {
  performance: number;
  accessibility: number;
  bestPractices: number;
  lcpMs: number;
  fcpMs: number;
  tbtMs: number;
  cls: number;
  transferKb: number;
  /** Audits that cost points (score under 0.9), by title. */
  shortfalls: string[];
}

export interface LighthouseResult {
  page: LighthousePage;
  runs: LighthouseFigures[];
  median: LighthouseFigures;
  /** The machine's 1-minute load average after the page's runs: other work inflates TBT. */
  loadAverage: number;
}

const PARTY_ALBUM = 'Party Night';

/** The phone tests' library plus one long track the host plays through every run. */
async function writeLibrary(dir: string): Promise<void> {
  await writePhoneLibrary(dir);
  const album = join(dir, 'DJ Loopback', PARTY_ALBUM);
  mkdirSync(album, { recursive: true });
  writeFileSync(
    join(album, '01 - Long Set.wav'),
    synthWav({
      seconds: 900,
      sampleRate: 8000,
      leftHz: 330,
      rightHz: 495,
      id3: { title: 'Long Set', artist: 'DJ Loopback', album: PARTY_ALBUM, trackNumber: '1' },
    }),
  );
}

/** The host starts a party and plays, as before any listener arrives. Returns the invite link. */
async function hostParty(browser: Browser, stack: PartyStack): Promise<{ host: Page; inviteUrl: string }> {
  const host = await (await browser.newContext()).newPage();
  const inviteUrl = await startHostParty(host, stack.host.url);
  await host.getByRole('link', { name: 'Releases' }).click();
  await host.getByRole('link', { name: PARTY_ALBUM, exact: true }).click();
  await host.getByRole('button', { name: 'Play Long Set' }).click();
  await host.getByTestId('now-title').filter({ hasText: 'Long Set' }).waitFor();
  return { host, inviteUrl };
}

const score = (value: number | null | undefined) => Math.round((value ?? 0) * 100);

async function audit(port: number, url: string): Promise<LighthouseFigures> {
  const result = await lighthouse(url, {
    port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: ['performance', 'accessibility', 'best-practices'],
  });
  if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
  const { categories, audits, runtimeError } = result.lhr;
  if (runtimeError) throw new Error(`Lighthouse failed on ${url}: ${runtimeError.message}`);
  const numeric = (id: string) => audits[id]?.numericValue ?? Number.NaN;
  const shortfalls = Object.values(categories)
    .flatMap((category) => category.auditRefs.filter((ref) => ref.weight > 0).map((ref) => audits[ref.id]))
    .filter((entry) => entry && entry.score !== null && entry.score < 0.9)
    .map((entry) => entry?.title ?? '');
  return {
    performance: score(categories.performance?.score),
    accessibility: score(categories.accessibility?.score),
    bestPractices: score(categories['best-practices']?.score),
    lcpMs: numeric('largest-contentful-paint'),
    fcpMs: numeric('first-contentful-paint'),
    tbtMs: numeric('total-blocking-time'),
    cls: numeric('cumulative-layout-shift'),
    transferKb: numeric('total-byte-weight') / 1024,
    shortfalls: [...new Set(shortfalls)],
  };
}

export async function runLighthouseBench(runsPerPage = 3): Promise<LighthouseResult[]> {
  const musicDir = mkdtempSync(join(tmpdir(), 'dmp-lighthouse-'));
  let stack: PartyStack | undefined;
  let browser: Browser | undefined;
  let chrome: chromeLauncher.LaunchedChrome | undefined;
  try {
    await writeLibrary(musicDir);
    stack = await startPartyStack({ musicDir, workerBinary: await ensureWorkerBinary(), quiet: true });
    browser = await launchChromium();
    const { inviteUrl } = await hostParty(browser, stack);
    const lookup = await (await browser.newContext()).newPage();
    await lookup.goto(`${stack.listener.url}/releases`);
    const releaseHref = await lookup
      .getByRole('link', { name: BIG_COVER_ALBUM, exact: true })
      .getAttribute('href');
    await lookup.context().close();
    const pages: LighthousePage[] = [
      { name: 'listener: invite link (live party)', url: inviteUrl },
      { name: 'listener: home `/`', url: `${stack.listener.url}/` },
      { name: 'listener: release page', url: `${stack.listener.url}${releaseHref}` },
      { name: 'host: `/party`', url: `${stack.host.url}/party` },
    ];
    // Lighthouse drives its own Chromium (Debian's), without the tests' autoplay flag: a phone
    // meets the invite page with "Tap to listen".
    chrome = await chromeLauncher.launch({
      chromePath: '/usr/bin/chromium',
      chromeFlags: [
        '--headless=new',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const results: LighthouseResult[] = [];
    for (const page of pages) {
      const runs: LighthouseFigures[] = [];
      for (let run = 0; run < runsPerPage; run++) {
        console.error(`[bench] lighthouse: ${page.name}, run ${run + 1} of ${runsPerPage}`);
        runs.push(await audit(chrome.port, page.url));
      }
      const sorted = [...runs].sort((a, b) => a.performance - b.performance);
      results.push({
        page,
        runs,
        median: sorted[Math.floor(sorted.length / 2)] ?? (runs[0] as LighthouseFigures),
        loadAverage: loadavg()[0] ?? 0,
      });
    }
    return results;
  } finally {
    chrome?.kill();
    await browser?.close();
    await stack?.stop();
    rmSync(musicDir, { recursive: true, force: true });
  }
}
