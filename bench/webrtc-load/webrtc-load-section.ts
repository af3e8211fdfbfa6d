/**
 * `npm run bench -- --only webrtc-load` and `--only cascade`: real WebRTC listeners on one media
 * node, and one party over three nodes (listeners per node, the hop's delay, the pipe's cost).
 */
import { loadavg } from 'node:os';
import { runHopDelay } from '../cascade/hop-delay';
import { runNodeKill } from '../cascade/node-kill';
import { writeSection } from '../report';
import { type LoadLevel, METERED, runWebRtcLoad } from './run-webrtc-load';

const PLAIN_SRTP_MS_PER_CONSUMER_SECOND = '0.48–0.64';

function machineLoad(): string {
  return loadavg()
    .map((value) => value.toFixed(1))
    .join(' / ');
}

function loadTable(levels: LoadLevel[]): string[] {
  return [
    '| listeners | receiving | transports per node | join s | loss | packets received | jitter mean / max ms | hearing throughout | audible frames | mean RMS | worker CPU ms / listener-s | worker cores | load client cores |',
    '| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...levels.map(
      (l) =>
        `| ${l.listeners} | ${l.receiving} | ${l.perNode.join(' / ')} | ${l.joinSeconds.toFixed(1)} | ${l.lossPercent.toFixed(3)}% | ` +
        `${l.packetsReceived} | ${l.jitterMeanMs.toFixed(1)} / ${l.jitterMaxMs.toFixed(1)} | ` +
        `${l.listenersHearing} / ${Math.min(l.listeners, METERED)} | ${(100 * l.audibleShare).toFixed(1)}% | ` +
        `${l.meanRms.toFixed(0)} | ${l.workerCpuMsPerListenerSecond.toFixed(2)} | ${l.workerCores.toFixed(2)} | ` +
        `${l.clientCores.toFixed(2)} |`,
    ),
  ];
}

const METHOD = [
  "Each listener is the listener page's own session code (ListenerSession, PartySocket) on libwebrtc",
  '(`@roamhq/wrtc` 0.10.0, mediasoup-client 3.24.1 with its Chrome111 handler) in one Node process:',
  'it joins through the edge under `wrangler dev` as a page does (WebSocket, ICE, DTLS, SRTP,',
  'RTCP, transport-wide feedback). The host is a Node process publishing a stereo tone (Opus,',
  '128 kbps) through the edge the same way. Listeners join in bursts of 20 every 0.5 s; after all',
  "of them receive and a 5 s warm-up, one window measures: loss and jitter from libwebrtc's",
  `\`inbound-rtp\` stats; sound (RMS of decoded 10 ms frames, \`RTCAudioSink\`) on the first ${METERED}`,
  'listeners only (pulling and measuring audio costs the client about a third more per listener);',
  "worker CPU from the nodes' `/v1/workers`; the load client's CPU (its process, libwebrtc threads",
  "included) apart. The client shares the machine's two cores with the media node and the edge.",
];

export async function webrtcLoad(
  options: { 'webrtc-levels'?: string; seconds?: string },
  file: string,
  machine: string,
  date: string,
): Promise<void> {
  const levels = (options['webrtc-levels'] ?? '50,100,200').split(',').map(Number);
  const seconds = Number(options.seconds ?? 20);
  const results = await runWebRtcLoad({ levels, seconds, nodes: 1, workersPerNode: 2 });
  writeSection(
    file,
    'webrtc-load',
    [
      '## Real WebRTC listeners on one media node (issue #15)',
      '',
      `Measured ${date} on ${machine}; load average before the run ${machineLoad()}.`,
      '',
      ...METHOD,
      `One media node process with 2 workers; ${seconds} s window.`,
      '',
      'Target: 500 listeners at under 0.5% loss on this 2-core machine.',
      '',
      ...loadTable(results),
      '',
      `For comparison, PlainTransport listeners with SRTP cost the workers ${PLAIN_SRTP_MS_PER_CONSUMER_SECOND}`,
      'ms CPU per listener-second (media fan-out above): a WebRTC listener adds ICE consent checks,',
      'DTLS, RTCP receiver reports and transport-wide feedback. The workers stayed far from busy at',
      'every level measured here, so loss at the higher levels most likely comes from the receiving side:',
      'one Node process decrypting and decoding every listener, on two cores shared with the workers, the',
      'edge and whatever else runs on the machine (see the load average). The 500-listener goal needs a',
      'load client on other machines; the worker CPU per listener is what sizes nodes (docs/SCALING.md).',
    ].join('\n'),
  );
}

export async function cascade(
  options: { 'cascade-listeners'?: string; seconds?: string; 'kill-runs'?: string },
  file: string,
  machine: string,
  date: string,
): Promise<void> {
  const seconds = Number(options.seconds ?? 20);
  const listeners = (options['cascade-listeners'] ?? '60').split(',').map(Number);
  console.error('[bench] cascade: hop delay and pipe cost');
  const hop = await runHopDelay(seconds);
  const spread = await runWebRtcLoad({ levels: listeners, seconds, nodes: 3, workersPerNode: 1 });
  const kills = await runNodeKill(9, Number(options['kill-runs'] ?? 3));
  const silences = kills.flatMap((run) => run.silencesMs).sort((a, b) => a - b);
  const at = (q: number) =>
    (silences[Math.min(silences.length - 1, Math.floor(q * silences.length))] ?? Number.NaN) / 1000;
  writeSection(
    file,
    'cascade',
    [
      '## One party over three media nodes: the cascade (issue #15)',
      '',
      `Measured ${date} on ${machine}; load average before the run ${machineLoad()}.`,
      '',
      '### One extra hop',
      '',
      'Two media node processes (1 worker each): a plain RTP producer (50 packets/s, 320-byte payloads)',
      'on the origin, piped to the other node as the edge does it (`pipeProducer`: a PipeTransport on',
      'each, SRTP on), one plain RTP listener on each node, both sending to one local socket. Every',
      'packet carries a counter in its payload, so the same packet through the origin and through the',
      `relay is compared. CPU: the workers' own, ${seconds} s windows, before and after the pipe.`,
      '',
      '| packets compared | extra delay median ms | p95 ms | max ms | origin worker CPU ms/s without → with pipe | relay worker CPU ms/s (pipe in + 1 listener) | pipe on the wire kbit/s |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      `| ${hop.packets} | ${hop.extraDelayMedianMs.toFixed(2)} | ${hop.extraDelayP95Ms.toFixed(2)} | ` +
        `${hop.extraDelayMaxMs.toFixed(2)} | ${hop.originCpuNoPipe.toFixed(1)} → ${hop.originCpuWithPipe.toFixed(1)} | ` +
        `${hop.relayCpuWithPipe.toFixed(1)} | ${hop.pipeKbps.toFixed(0)} |`,
      '',
      "On loopback the hop is the relay worker's own forwarding; between machines add the network path",
      'between the nodes (one way). Tail figures include scheduling on a shared 2-core machine.',
      '',
      '### Listeners spread over three nodes',
      '',
      ...METHOD,
      "Three media node processes with 1 worker each, all in the edge's `MEDIA_NODE_URLS`: the host's",
      'producer on one, each listener placed by the edge on the least-loaded node, the other nodes fed',
      `by pipes. Worker CPU is the three nodes' together; ${seconds} s window.`,
      '',
      ...loadTable(spread),
      '',
      '### A node killed',
      '',
      'The same three nodes and nine libwebrtc listeners (metered), the party settled (12 s); a node other',
      "than the host's, holding listeners, is SIGKILLed. For each of its listeners: the time from the kill",
      "to the first audible frame on its new track (the edge's check finds the node gone, at most every",
      `3 s for a spread party; the listener gets \`mediaReset\`, a new node, and consumes again). ${kills.length} runs.`,
      '',
      '| moved listeners | silence median s | p95 s | max s | target |',
      '| ---: | ---: | ---: | ---: | --- |',
      `| ${silences.length} | ${at(0.5).toFixed(2)} | ${at(0.95).toFixed(2)} | ${((silences.at(-1) ?? Number.NaN) / 1000).toFixed(2)} | under 5 s |`,
    ].join('\n'),
  );
}
