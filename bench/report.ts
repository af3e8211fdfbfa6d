import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import type { Summary } from './stats';

/** One line naming the machine a benchmark ran on. */
export function machineDescription(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, Linux ${release()}, Node ${process.version}`;
}

const HEADER = `# Benchmarks

Written by \`npm run bench\`; each section is replaced when its benchmark runs again (git history
keeps earlier figures). Targets come from the design notes. Figures are what this machine measured,
met or not.
`;

/** Replaces (or appends) the section between this benchmark's markers in docs/BENCHMARKS.md. */
export function writeSection(file: string, id: string, markdown: string): void {
  const start = `<!-- bench:${id}:start -->`;
  const end = `<!-- bench:${id}:end -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  const current = existsSync(file) ? readFileSync(file, 'utf8') : HEADER;
  const pattern = new RegExp(`${start}[\\s\\S]*?${end}`);
  const next = pattern.test(current) ? current.replace(pattern, block) : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(0) : '—');

/** A markdown table of millisecond summaries: one row per measure, with its target. */
export function summaryTable(rows: [measure: string, target: string, summary: Summary][]): string[] {
  return [
    '| measure | samples | p50 ms | p95 ms | min ms | max ms | target |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows.map(
      ([measure, target, s]) =>
        `| ${measure} | ${s.n} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.min)} | ${ms(s.max)} | ${target} |`,
    ),
  ];
}
