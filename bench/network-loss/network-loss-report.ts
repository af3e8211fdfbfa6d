import { summarize } from '../stats';
import type { LossRunResult } from './loss-run';
import type { NetworkLossOptions, NetworkResult } from './run-network-loss';

const GOAL_PERCENT = 1;

const sum = (run: LossRunResult, key: keyof LossRunResult['windows'][number]['delta']) =>
  run.windows.reduce((total, window) => total + (window.delta[key] ?? 0), 0);

/** Concealed share of every sample over all windows of a run. */
function pooledPercent(run: LossRunResult): number {
  const total = sum(run, 'totalSamplesReceived');
  return total > 0 ? (100 * sum(run, 'concealedSamples')) / total : 0;
}

function row(variant: string, run: LossRunResult): string {
  const concealed = summarize(run.windows.map((window) => window.concealedPercent));
  const buffer = summarize(run.windows.map((window) => window.jitterBufferMs));
  const stretched = sum(run, 'insertedSamplesForDeceleration') + sum(run, 'removedSamplesForAcceleration');
  return (
    `| ${variant} | ${run.lossPercent} | ${run.windows.length} | ${concealed.p50.toFixed(2)} | ` +
    `${concealed.p95.toFixed(2)} | ${pooledPercent(run).toFixed(2)} | ${run.dropped} | ` +
    `${sum(run, 'packetsLost')} / ${sum(run, 'packetsReceived')} | ${buffer.p50.toFixed(0)} | ` +
    `${(stretched / 480).toFixed(0)} |`
  );
}

function goalLine(network: NetworkResult): string {
  const shipped = network.variants[0]?.runs.find((run) => run.lossPercent === 5);
  if (!shipped) return '';
  const pooled = pooledPercent(shipped);
  const met = pooled <= GOAL_PERCENT ? 'met' : 'not met';
  return `Goal (≤ ${GOAL_PERCENT} % concealed at 5 % loss, as shipped): ${pooled.toFixed(2)} % — ${met}.`;
}

function networkSection(network: NetworkResult): string[] {
  const relay = network.relayLatenessMs;
  return [
    `### ${network.network}`,
    '',
    ...(relay
      ? [
          `The relay's own timing (how late it sent packets beyond the set delay, ${relay.packets} packets): ` +
            `p50 ${relay.p50.toFixed(2)} ms, p95 ${relay.p95.toFixed(2)} ms, p99 ${relay.p99.toFixed(2)} ms, ` +
            `max ${relay.max.toFixed(1)} ms.`,
          '',
        ]
      : []),
    goalLine(network),
    '',
    '| variant | loss % | windows | concealed % p50 | p95 | all windows | dropped by nft | lost after repair / received | jitter buffer ms p50 | time-stretched 10 ms frames |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...network.variants.flatMap(({ variant, runs }) => runs.map((run) => row(variant.name, run))),
    '',
  ];
}

export function networkLossMarkdown(
  results: NetworkResult[],
  options: NetworkLossOptions,
  machine: string,
  date: string,
): string {
  return [
    '## Listener audio under downlink packet loss (issue #17)',
    '',
    `Measured ${date} on ${machine}.`,
    '',
    "The whole party on one machine (media node with 1 worker, the edge under `wrangler dev`, the host's app",
    "and the listener site, Debian's Chromium headless). The host plays a steady stereo tone (440/660 Hz, 128",
    'kbps Opus); each loss rate gets a fresh listener context that opens the invite link, hears the tone, and',
    "then nftables drops that share of the packets the media node sends to that listener's own port only",
    "(RTP, RTCP, STUN alike; the host is untouched). After 3 s to settle, the listener's `inbound-rtp` stats",
    `are read over ${options.windows} consecutive windows of ${options.seconds} s (the summarised runs):`,
    '*concealed* is `concealedSamples / totalSamplesReceived` (samples the decoder made up), *lost after',
    'repair* is `packetsLost` (what retransmission did not bring back), *jitter buffer* the average delay',
    'of an emitted sample (`jitterBufferDelay / jitterBufferEmittedCount`), *time-stretched* the samples',
    'NetEq inserted or removed to move its delay.',
    '',
    `The modelled round trip puts a UDP relay (\`harness/src/udp-delay-relay.ts\`, ${options.rttMs / 2} ms each way, in`,
    "its own real-time-priority process) in front of the media node: the node announces the relay's address",
    '(`MEDIASOUP_ANNOUNCED_IP=127.0.0.2`), so browsers reach it only through the relay; losses are applied',
    "before the delay. Variants switch one feature per row, only in that page's browser (SDP munging by the",
    "test's WebRTC tap, or a libwebrtc field trial on the host's browser): NACK, the listener's",
    '`jitterBufferTarget`, Opus in-band FEC. RED is absent: mediasoup 3.12.16 cannot carry it',
    '(no `audio/red` in its supported RTP capabilities, so a router cannot be created with it).',
    '',
    'Other agents share these 2 cores (load averages of 5-10 were seen): a window that catches the machine',
    'stalling shows concealment without any loss, so read p50 next to p95.',
    '',
    ...results.flatMap(networkSection),
  ].join('\n');
}
