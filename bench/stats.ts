/** Nearest-rank summary of a set of measurements. */
export interface Summary {
  n: number;
  p50: number;
  p95: number;
  min: number;
  max: number;
}

export function summarize(values: number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? NaN;
  return {
    n: sorted.length,
    p50: rank(0.5),
    p95: rank(0.95),
    min: sorted[0] ?? NaN,
    max: sorted.at(-1) ?? NaN,
  };
}
