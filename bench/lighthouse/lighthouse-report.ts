import type { LighthouseResult } from './run-lighthouse';

const GOALS = { performance: 90, accessibility: 95, bestPractices: 95 };

const mark = (value: number, goal: number) => `${value}${value >= goal ? '' : ' ✗'}`;
const range = (values: number[]) => `${Math.min(...values)}–${Math.max(...values)}`;

/** The Lighthouse section of docs/BENCHMARKS.md. */
export function lighthouseMarkdown(results: LighthouseResult[], machine: string, date: string): string {
  const runs = results[0]?.runs.length ?? 0;
  return [
    '## Phone pages: Lighthouse mobile (issue #12)',
    '',
    `Measured ${date} on ${machine}.`,
    '',
    'Lighthouse 12.2.3 (its default mobile audit: a mid-range phone, slow 4G and a 4× slower CPU, simulated)',
    "driving Debian's Chromium against the whole party running locally: the host's app (adapter-node),",
    'the listener site (adapter-node in listener role), the edge under `wrangler dev` and the media node,',
    'the host playing. Served from 127.0.0.1 over plain HTTP without compression of the HTML (adapter-node',
    'compresses static files only; Cloudflare compresses everything), so transfer sizes are an upper bound.',
    `Each page ran ${runs} times; the table shows the run with the median performance score and the range of`,
    'performance scores; ✗ marks a figure below the goal (performance 90, accessibility 95, best practices 95).',
    'Lighthouse scales the CPU time it observes, so anything else busy on the machine (the party itself, other',
    'work) raises TBT and lowers performance: the last column is the 1-minute load average after each page.',
    '',
    '| page | performance | range | accessibility | best practices | LCP s | FCP s | TBT ms | CLS | transferred KB | load |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results
      .map(({ page, runs: all, median: m, loadAverage }) =>
        [
          page.name,
          mark(m.performance, GOALS.performance),
          range(all.map((run) => run.performance)),
          mark(m.accessibility, GOALS.accessibility),
          mark(m.bestPractices, GOALS.bestPractices),
          (m.lcpMs / 1000).toFixed(2),
          (m.fcpMs / 1000).toFixed(2),
          m.tbtMs.toFixed(0),
          m.cls.toFixed(3),
          m.transferKb.toFixed(0),
          loadAverage.toFixed(1),
        ].join(' | '),
      )
      .map((row) => `| ${row} |`),
    '',
    'Audits that cost points (score under 0.9) in the median run:',
    '',
    ...results.map(
      ({ page, median }) =>
        `- ${page.name}: ${median.shortfalls.length > 0 ? median.shortfalls.join('; ') : 'none'}`,
    ),
  ].join('\n');
}
