/**
 * `--only peers`: DMP Party next to Icecast (default burst, and burst-on-connect off), measured in
 * the same run, the same Chromium and the same way (bench/party-audio's onset detector).
 */
import { runPartyAudioBench } from '../party-audio/run-party-audio';
import type { Summary } from '../stats';
import { type IcecastResult, runIcecastBench } from './run-icecast';

export interface PeersOptions {
  listeners: number;
  delaySeconds: number;
  firstAudioRuns: number;
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(0) : '—');
const ratio = (peer: Summary, ours: Summary) =>
  Number.isFinite(peer.p50 / ours.p50) ? `${(peer.p50 / ours.p50).toFixed(1)}×` : '—';

export async function peersMarkdown(options: PeersOptions, machine: string, date: string): Promise<string> {
  console.error('[bench] peers: DMP Party');
  const ours = await runPartyAudioBench({ ...options, refreshRuns: 0 });
  const peers: IcecastResult[] = [];
  for (const burst of [true, false]) peers.push(await runIcecastBench(burst, options));
  const name = (peer: IcecastResult) =>
    peer.burstOnConnect ? 'Icecast 2.4, default burst (64 KB)' : 'Icecast 2.4, burst-on-connect off';
  const rows = (measure: string, pick: (result: { delayMs: Summary; firstAudioMs: Summary }) => Summary) => [
    `| ${measure} | DMP Party | ${ms(pick(ours).p50)} | ${ms(pick(ours).p95)} | ${pick(ours).n} | 1× |`,
    ...peers.map(
      (peer) =>
        `| ${measure} | ${name(peer)} | ${ms(pick(peer).p50)} | ${ms(pick(peer).p95)} | ${pick(peer).n} | ${ratio(pick(peer), pick(ours))} |`,
    ),
  ];
  return [
    '## Peers: DMP Party next to Icecast, measured the same way (issue #16)',
    '',
    `Measured ${date} on ${machine}, all in one run on loopback.`,
    '',
    "Icecast is what AzuraCast and most self-hosted radio stream through. Debian's `icecast2` runs with its own",
    'configuration on a free port, fed by ffmpeg as the source client (the same 1-second click track as the',
    'party, looped in real time, MP3 at 128 kbps, every thirtieth click left out so the delay is unambiguous',
    "beyond a second), and played by an `<audio>` element in the same Chromium, on a page from Icecast's",
    'own origin; the same onset detector taps it (`captureStream()`). **Delay**: from a click leaving the',
    "source (ffmpeg's progress reports) to its onset in the page; for DMP Party from the host page's",
    "published stream to the listener's, as in the party audio section. On DMP Party's invite page the",
    "detector starts right after the page's head script, on Icecast's page after its first task: tens of",
    'milliseconds either way, against seconds.',
    '**Time to first audio**: from opening the page to the first onset of a steady tone. Icecast is run with',
    'its default burst-on-connect (a new listener first gets the last 64 KB, about 4 s, at once) and with it',
    "off. The ratio is the peer's p50 over DMP Party's. Chromium starts a live MP3 only once it has buffered",
    "several seconds of it, which is most of Icecast's delay and time to first audio here.",
    '',
    '| measure | system | p50 ms | p95 ms | samples | ratio (p50) |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
    ...rows('source → listener audio (delay)', (result) => result.delayMs),
    ...rows('open page → audible', (result) => result.firstAudioMs),
  ].join('\n');
}
