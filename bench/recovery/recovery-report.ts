import type { EdgeFanoutLevel } from '../edge-fanout/run-edge-fanout';
import { summarize } from '../stats';
import type { AudioFault, AudioFaultResult } from './run-audio-faults';
import type { StormResults, StormRun } from './run-storm';

const FAULTS: Record<AudioFault, { what: string; goal: string }> = {
  'worker-kill': { what: 'mediasoup worker SIGKILL → audio back', goal: '<= 2 s' },
  'media-node-restart': { what: 'media node killed and started again → audio back', goal: '<= 5 s' },
  'edge-restart': { what: 'edge (workerd) restarted → audio on the rebuilt path', goal: '<= 3 s' },
  'host-drop': { what: 'host offline 5 s → audio back, from the host being back', goal: '<= 1 s' },
};

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(0) : '–');

export interface RecoveryResults {
  audio: AudioFaultResult[];
  runs: number;
  listeners: number;
  storm: StormResults;
  fanout: EdgeFanoutLevel[];
}

/** Markdown for the Recovery section. */
export function recoveryMarkdown(
  results: RecoveryResults,
  machine: string,
  date: string,
  load: string,
): string {
  const storm = (pick: (run: StormRun) => number) => summarize(results.storm.runs.map(pick));
  const stormListeners = results.storm.runs[0]?.listeners ?? 0;
  return [
    '## Recovery: faults measured from what listeners hear (issue #17)',
    '',
    `Measured ${date} on ${machine}; load average at the start ${load} (other work shares these 2 cores).`,
    '',
    'The whole local stack: the media node as its own process with 2 mediasoup workers (as `npm start`',
    "runs it here), the edge under `wrangler dev`, the host and listener apps, Debian's Chromium. The host",
    `plays a steady stereo tone; ${results.listeners} listener pages watch their received stream with the`,
    "onset probe. **Audio back** is from the fault to the first sound in a listener's stream after it",
    '(a sound after silence, or the first sound of the stream the listener re-consumed); **silence heard**',
    'is from the last sound before that to it. Samples: runs × listeners. The media node posts its events',
    'to the edge (`EDGE_EVENTS_URL`); the periodic check stays at its 10 s default.',
    '',
    "- worker SIGKILL: the worker holding the session's router, by pid;",
    "- media node restart: SIGKILL of the node's process, then the same command again at once (what",
    "  `--restart unless-stopped` does), so the figure includes the node's own start;",
    '- edge restart: `wrangler dev` stopped and started on the same port and state (includes its start,',
    '  several seconds here); listeners keep hearing the old path until their socket is back;',
    "- host network drop: the host's browser context offline and every UDP packet of its ICE port dropped",
    '  (nftables, its own table) for 5 s; measured from the moment it is back.',
    '',
    '| fault | samples | audio back p50 ms | p95 ms | max ms | after the restarted process is up p50 / p95 ms | silence heard p50 ms | p95 ms | goal |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...results.audio.map(
      ({ fault, backMs, afterUpMs, silenceMs }) =>
        `| ${FAULTS[fault].what} | ${backMs.n} | ${ms(backMs.p50)} | ${ms(backMs.p95)} | ${ms(backMs.max)} | ` +
        `${afterUpMs ? `${ms(afterUpMs.p50)} / ${ms(afterUpMs.p95)}` : '–'} | ` +
        `${ms(silenceMs.p50)} | ${ms(silenceMs.p95)} | ${FAULTS[fault].goal} |`,
    ),
    '',
    `### Reconnect storm: ${stormListeners} listener sockets`,
    '',
    `${stormListeners} Node \`ws\` listeners joined to a live party; the edge restarted (every socket drops,`,
    "the party's object starts cold); then all of them back at the same moment, each sending `join` with",
    'its receive path as the browser does (and, as the browser does, asking for its transport again after',
    'an error answer or a `joined` without one). Calls are counted by the media node',
    "(`media_node_requests_total`). The party's object keeps at most 32 calls in flight to a node",
    '(`MEDIA_CALLS_IN_FLIGHT`), so none waits on the node past its timeout. The ws listeners never',
    'open a peer connection, so the transports the restart orphaned stay; a browser closes its old one',
    'when it rejoins, and the node then closes it too.',
    '',
    '| runs | all rejoined p50 ms | p95 ms | edge down → all rejoined p50 ms | state checks p50 / max | media node calls p50 | error answers retried | transports left by dropped sockets |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${results.storm.runs.length} of ${results.storm.runs.length + results.storm.failures.length} | ${ms(storm((run) => run.rejoinMs).p50)} | ${ms(storm((run) => run.rejoinMs).p95)} | ` +
      `${ms(storm((run) => run.totalMs).p50)} | ${storm((run) => run.stateChecks).p50} / ${storm((run) => run.stateChecks).max} | ` +
      `${storm((run) => run.mediaCalls).p50} | ${errorAnswers(results.storm.runs)} | ${storm((run) => run.orphanedTransports).p50} |`,
    ...results.storm.failures.map((failure) => `\nA run that did not complete: ${failure}.`),
    '',
    '### nowPlaying fan-out while listeners flood',
    '',
    'The edge fan-out benchmark (above) at the production rate limit (20 messages/s), without and with',
    'four flooding listeners in their own process: each sends frames as fast as its socket drains, and',
    'when closed comes straight back every 50 ms, ignoring Retry-After. Three rounds with flooders,',
    'each on a new party: the delay the others see grows with the frames the flooders got out before',
    'their close reached them (docs/EDGE.md, "What a flood still costs").',
    '',
    '| listeners | flooders | samples | p50 ms | p99 ms | max ms | flooder frames sent | policy closes | reconnects refused (429) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.fanout.map(
      (level) =>
        `| ${level.listeners} | ${level.flooders} | ${level.samples} | ${level.p50Ms.toFixed(1)} | ` +
        `${level.p99Ms.toFixed(1)} | ${level.maxMs.toFixed(1)} | ${level.flooding?.sent ?? 0} | ` +
        `${level.flooding?.policyCloses ?? 0} | ${level.flooding?.refused ?? 0} |`,
    ),
  ].join('\n');
}

/** Error answers over every storm run, by code (`none` when there were none). */
function errorAnswers(runs: StormRun[]): string {
  const byCode = new Map<string, number>();
  for (const run of runs)
    for (const [code, count] of Object.entries(run.errors)) byCode.set(code, (byCode.get(code) ?? 0) + count);
  return [...byCode].map(([code, count]) => `${count} ${code}`).join(', ') || 'none';
}
