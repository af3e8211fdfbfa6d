/**
 * A new PGlite database is created (initdb) in a short-lived child process. Creating one peaks at
 * about 800 MB inside the process that does it, and a long-running app would keep most of that
 * memory for good; opening an existing folder costs a fraction of it (docs/BENCHMARKS.md, host
 * footprint).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const CREATE = `const { PGlite } = require(process.argv[1]);
const db = new PGlite(process.argv[2], { startParams: JSON.parse(process.argv[3]) });
db.waitReady.then(() => db.close());`;

/** Creates `dataDir`'s database with `startParams` unless it exists (or lives in memory). */
export function createPgliteInChild(dataDir: string, startParams: readonly string[]): void {
  if (dataDir.startsWith('memory://') || existsSync(join(dataDir, 'PG_VERSION'))) return;
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  execFileSync(process.execPath, ['-e', CREATE, entry, dataDir, JSON.stringify(startParams)], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
