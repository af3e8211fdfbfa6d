import { summaryTable } from '../report';
import type { PartyAudioResult } from './run-party-audio';

/** Markdown for the party audio benchmark (real Chromium, whole local stack). */
export function partyAudioMarkdown(result: PartyAudioResult, machine: string, date: string): string {
  return [
    '## Party audio in real Chromium: delay, time to first audio, host refresh (issue #5)',
    '',
    `Measured ${date} on ${machine}.`,
    '',
    "The whole party on one machine: the media node (1 mediasoup worker), the edge under `wrangler dev`, the host's",
    "app and a listener-role app on one PostgreSQL, and Debian's Chromium (headless) with the host page and the",
    'listener pages in separate browser contexts. Every page runs an AudioWorklet onset detector installed before',
    "the page's own scripts, stamping onsets on the wall clock that all pages of one browser share.",
    '',
    `- **Delay**: the host plays a track of 30 ms clicks once a second; the host-side onset is taken from the stream`,
    `  the host page publishes (its MediaStreamDestination), the listener-side onset from the party \`<audio>\``,
    `  element's stream, in ${result.listeners} listener pages; each listener onset is matched with the latest host`,
    '  onset before it.',
    '- **Time to first audio**: a fresh browser context opens the invite link while the host plays a steady tone;',
    '  from navigation start to the first onset in the received stream (page load, hydration, signalling, ICE,',
    '  DTLS, jitter buffer).',
    '- **Host refresh**: the host reloads the page; from the reload to the first sound a connected listener hears',
    '  again (the player resumes from sessionStorage, the party socket reconnects, a new producer is made).',
    '',
    'All processes share the 2 cores with the browser, which renders and decodes every page.',
    '',
    ...summaryTable([
      ['host audio → listener audio', 'p95 <= 200 ms', result.delayMs],
      ['listener opens link → audible', 'p95 <= 700 ms', result.firstAudioMs],
      ['host refresh → listeners hear again', '<= 2 s', result.refreshGapMs],
    ]),
    '',
    "Where a listener's time to first audio goes (ms since navigation start, over the same runs; the last",
    'step to first audio is ICE, DTLS, the first RTP packets and the jitter buffer):',
    '',
    '| step | p50 ms | p95 ms |',
    '| --- | ---: | ---: |',
    ...result.firstAudioSteps.map(
      ({ step, ms }) => `| ${step} | ${ms.p50.toFixed(0)} | ${ms.p95.toFixed(0)} |`,
    ),
    `| first audio | ${result.firstAudioMs.p50.toFixed(0)} | ${result.firstAudioMs.p95.toFixed(0)} |`,
  ].join('\n');
}
