/** The reactions benchmark's section of docs/BENCHMARKS.md. */
import { REACTION_FLUSH_MS } from '@dmp-party/protocol';
import type { ReactionsResult } from './run-reactions';

const ms = (value: number) => value.toFixed(0);

export function reactionsMarkdown(result: ReactionsResult, machine: string, date: string): string {
  const { reactionToFrameMs: own, fanoutMs: fan } = result;
  return [
    '## Reaction fan-out (issue 14)',
    '',
    `Measured ${date} on ${machine}.`,
    '',
    `${result.listeners} listener sockets (Node \`ws\`, one process) on the edge under \`wrangler dev\`,`,
    `${result.reactors} of them reacting once a second each, spread over the second, for ${result.seconds} s`,
    `(${result.reactionsSent} reactions). The edge gathers reactions and sends one \`reactions\` frame per`,
    `party every ${REACTION_FLUSH_MS} ms at most. *Reaction to frame*: a reactor's send to the first frame it`,
    "gets after the edge acknowledged it (that frame carries it). *Fan-out*: the edge accepting a frame's",
    'first reaction to each listener receiving the frame (edge clock and client clock on one machine).',
    '',
    '| measure | samples | p50 ms | p95 ms | p99 ms | max ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    `| reaction to frame | ${own.n} | ${ms(own.p50)} | ${ms(own.p95)} | ${ms(own.p99)} | ${ms(own.max)} |`,
    `| fan-out to every listener | ${fan.n} | ${ms(fan.p50)} | ${ms(fan.p95)} | ${ms(fan.p99)} | ${ms(fan.max)} |`,
    '',
    `Frames per listener per second: **${result.framesPerListenerPerSecond.toFixed(2)}** (the bound is`,
    `${(1000 / REACTION_FLUSH_MS).toFixed(1)}).`,
  ].join('\n');
}
