/**
 * Generates the Workers runtime types the edge compiles against (`edge/worker-configuration.d.ts`,
 * git-ignored) with `wrangler types`, from the edge's compatibility date and flags. Runs before every
 * typecheck; regenerates only when the file is missing or older than its inputs (about 20 s).
 * The `Env` interface is the edge's own (edge/src/env.ts), so only runtime types are generated.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const OUTPUT = 'edge/worker-configuration.d.ts';
const INPUTS = ['edge/wrangler.toml', 'node_modules/wrangler/package.json'];

const mtime = (path: string) => statSync(path).mtimeMs;
const stale = !existsSync(OUTPUT) || INPUTS.some((input) => mtime(input) > mtime(OUTPUT));
if (stale) {
  console.error(`[worker-types] generating ${OUTPUT} with wrangler types`);
  execFileSync(
    'node_modules/.bin/wrangler',
    ['types', '--config', 'edge/wrangler.toml', '--include-env=false', OUTPUT],
    { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } },
  );
}
