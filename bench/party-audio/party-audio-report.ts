import { summaryTable } from '../report';
import type { PartyAudioResult } from './run-party-audio';

/** Markdown for the party audio benchmark (real Chromium, whole local stack). */
export function partyAudioMarkdown(results: PartyAudioResult[], machine: string, date: string): string {
  const listeners = results[0]?.listeners ?? 0;
  return [
    '## Party audio in real Chromium: delay, time to first audio, host refresh (issues #5, #16)',
    '',
    `Measured ${date} on ${machine}.`,
    '',
    "The whole party on one machine: the media node (1 mediasoup worker), the edge under `wrangler dev`, the host's",
    "app and a listener-role app on one PostgreSQL, and Debian's Chromium (headless) with the host page and the",
    'listener pages in separate browser contexts. Every page runs an AudioWorklet onset detector installed before',
    "the page's own scripts, stamping onsets on the wall clock that all pages of one browser share. On an invite",
    "page the detector's audio context starts in the first task after the page's head script, so the probe's own",
    "start (tens of milliseconds of main thread under load) does not hold up the listener's; it was ready only",
    `after the page began to play in ${results
      .map((result) => `${result.lateProbeRuns} of ${result.firstAudioMs.n} runs (${setting(result)})`)
      .join(', ')}`,
    '(such a run counts its first audio from when the probe first heard).',
    '',
    `- **Delay**: the host plays a track of 30 ms clicks once a second; the host-side onset is taken from the stream`,
    `  the host page publishes (its MediaStreamDestination), the listener-side onset from the party \`<audio>\``,
    `  element's stream, in ${listeners} listener pages; each listener onset is matched with the latest host`,
    '  onset before it.',
    '- **Time to first audio**: a fresh browser context opens the invite link while the host plays a steady tone;',
    '  from navigation start to the first onset in the received stream (page load, hydration, signalling, ICE,',
    '  DTLS, jitter buffer).',
    '- **Host refresh**: the host reloads the page; from the reload to the first sound a connected listener hears',
    '  again (the player resumes from sessionStorage, the party socket reconnects, a new producer is made).',
    '',
    'All processes share the 2 cores with the browser, which renders and decodes every page, and other work on',
    `the machine: 1-minute load average ${results
      .map(
        (result) =>
          `${result.loadAverage.start.toFixed(1)} → ${result.loadAverage.end.toFixed(1)} (${setting(result)})`,
      )
      .join(', ')} from the start to the end of each run.`,
    '',
    "The invite page's head script (first in the HTML head, before the stylesheet) opens the party socket and",
    "joins before the app's JavaScript loads, with the page's DTLS certificate made meanwhile: the join's one",
    "answer carries the receive transport, already connected with the browser's fingerprint, and the consumer,",
    'already resumed. The head script then receives it itself: its own peer connection, with the offer',
    "mediasoup-client would write, playing through the party's `<audio>` element, so the first sound waits for",
    'no application JavaScript. The app loads its party code once that sound has started (at most 1 s), adopts',
    "the socket and the answer, and hands the head script's peer connection to mediasoup-client as its",
    "transport's own: the same track plays on. Hydration waits until the first packets flow (at most 1.5 s).",
    '',
    '**Loopback** runs everything on 127.0.0.1. The **production latency model** puts TCP delay proxies',
    '(`harness/src/delay-proxy.ts`: half the round trip each way, and one round trip before a new',
    'connection carries data) between the browser and the edge and listener site (Cloudflare, near',
    'listeners: 30 ms RTT) and between the edge and the media node (a VPS: 40 ms RTT). Media (UDP) and',
    "the host's own page stay local; TLS handshakes are not modelled.",
    '',
    ...summaryTable(
      results.flatMap((result) => [
        [`host audio → listener audio, ${setting(result)}`, 'p95 <= 80 ms', result.delayMs],
        [`listener opens link → audible, ${setting(result)}`, firstAudioTarget(result), result.firstAudioMs],
        [`host refresh → listeners hear again, ${setting(result)}`, '<= 1 s', result.refreshGapMs],
      ]),
    ),
    '',
    "Where a listener's time to first audio goes (ms since navigation start, over the same runs; the last",
    'step to first audio is ICE, DTLS, the first RTP packets and the jitter buffer):',
    '',
    `| step | ${results.map((result) => `p50 ms, ${setting(result)} | p95 ms, ${setting(result)}`).join(' | ')} |`,
    `| --- | ${results.map(() => '---: | ---:').join(' | ')} |`,
    ...stepNames(results).map(
      (step) =>
        `| ${step} | ${results
          .map((result) => {
            const ms = result.firstAudioSteps.find((entry) => entry.step === step)?.ms;
            return ms ? `${ms.p50.toFixed(0)} | ${ms.p95.toFixed(0)}` : '— | —';
          })
          .join(' | ')} |`,
    ),
    `| first audio | ${results
      .map((result) => `${result.firstAudioMs.p50.toFixed(0)} | ${result.firstAudioMs.p95.toFixed(0)}`)
      .join(' | ')} |`,
  ].join('\n');
}

/** Which network a run modelled. */
export function setting(result: PartyAudioResult): string {
  const latency = result.latency;
  return latency ? `${latency.browserEdgeRttMs}/${latency.edgeMediaRttMs} ms RTT` : 'loopback';
}

const firstAudioTarget = (result: PartyAudioResult) => (result.latency ? 'p95 <= 1000 ms' : 'p95 <= 500 ms');

function stepNames(results: PartyAudioResult[]): string[] {
  return [...new Set(results.flatMap((result) => result.firstAudioSteps.map(({ step }) => step)))];
}
