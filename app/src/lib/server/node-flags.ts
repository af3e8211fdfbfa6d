/**
 * Node flags the built app (`node build`) runs with, wherever it is started (`npm start`, the
 * harness, a deployment).
 *
 * `--max-semi-space-size=2` caps V8's young generation at 2 MB per semi-space instead of Node 20's
 * 16 MB. Each page render allocates short-lived strings and rows by the megabyte, and with the
 * default the young generation grew to its full size and stayed resident between requests. With
 * 2 MB the idle app with a 10,000-track catalog measured 181-197 MB instead of 215-256 MB, and
 * the first scan ran as fast (844-894 against 792-895 files/s, 1.7-1.8 ms of CPU per file either
 * way) with a lower peak (274-285 against 310-338 MB) (docs/BENCHMARKS.md, host footprint).
 */
export const APP_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2'];
