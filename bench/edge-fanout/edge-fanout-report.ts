import type { EdgeFanoutLevel } from './run-edge-fanout';

const ms = (value: number) => value.toFixed(1);

/** Markdown for the edge's nowPlaying fan-out delays. */
export function edgeFanoutMarkdown(levels: EdgeFanoutLevel[], machine: string, date: string): string {
  return [
    '## Edge: nowPlaying fan-out from the host to listener sockets (issue #3)',
    '',
    `Measured ${date} on ${machine}.`,
    '',
    'The edge worker under `wrangler dev` (local workerd), one `PartySession` Durable Object, a media node',
    'process behind it. A host socket and N listener sockets are Node `ws` clients in the benchmark process;',
    'for each sample the host sends `nowPlaying` and the delay to a listener is the time from that send to',
    "the listener's `state` frame, on the same clock. Samples are sent one at a time (the next after every",
    'listener got the previous, plus 50 ms); the first 3 are warm-up. "last listener" is the median time',
    "until the slowest listener of a sample got it. Client and workerd share the machine's cores; the",
    "listener sockets share one client thread, so each frame is only searched for the sample's track id",
    '(no JSON parse, no UTF-8 validation): parsing every frame added ~50 ms at 1,000 listeners.',
    '',
    'Target: p99 <= 50 ms to 1,000 listeners.',
    '',
    '| listeners | samples | p50 ms | p99 ms | max ms | last listener p50 ms |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    ...levels.map(
      (level) =>
        `| ${level.listeners} | ${level.samples} | ${ms(level.p50Ms)} | ${ms(level.p99Ms)} | ${ms(level.maxMs)} | ${ms(level.lastListenerP50Ms)} |`,
    ),
  ].join('\n');
}
