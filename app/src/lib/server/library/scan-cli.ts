/**
 * `tsx app/src/lib/server/library/scan-cli.ts [--music-dir DIR] [--data-dir DIR] [--json]`:
 * scans a music folder into the catalog with a progress bar in the terminal. With `--json`, prints
 * the report plus timing and memory on stdout (the benchmark reads it): memory after opening the
 * catalog is reported apart from the scan's own peak, because PGlite's start (PostgreSQL in
 * WebAssembly) costs far more than scanning does.
 */
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { openCatalog } from '../db/connect';
import { scanLibrary } from './scan';

const { values } = parseArgs({
  options: {
    'music-dir': { type: 'string', default: process.env.MUSIC_DIR },
    'data-dir': { type: 'string', default: process.env.PGLITE_DATA_DIR ?? '.data/pglite' },
    json: { type: 'boolean', default: false },
  },
});
const musicDir = values['music-dir'];
if (!musicDir) {
  console.error('MUSIC_DIR (or --music-dir) is required');
  process.exit(1);
}

const bar = new cliProgress.SingleBar(
  {
    format: 'scan |{bar}| {value}/{total} files | {eta_formatted} left',
    noTTYOutput: true,
    notTTYSchedule: 5_000,
  },
  cliProgress.Presets.shades_classic,
);
const megabytes = (bytes: number) => bytes / 2 ** 20;
const startedAt = performance.now();
const catalog = await openCatalog({ databaseUrl: process.env.DATABASE_URL, dataDir: values['data-dir'] });
const openedAt = performance.now();
const rssAfterOpen = process.memoryUsage.rss();
const openPeakRssMb = process.resourceUsage().maxRSS / 1024;
// Sampled every 20 ms (not per file, which costs the scan itself): the scan's own high-water mark,
// which maxRSS hides behind the open's.
let scanPeakRss = rssAfterOpen;
const sampler = setInterval(() => {
  scanPeakRss = Math.max(scanPeakRss, process.memoryUsage.rss());
}, 20);
const cpuBefore = process.cpuUsage();
let started = false;
const report = await scanLibrary(catalog.db, musicDir, {
  onProgress: ({ phase, done, total }) => {
    if (phase === 'listing') return;
    if (!started) {
      bar.start(total, 0);
      started = true;
    }
    bar.update(done);
  },
});
clearInterval(sampler);
const cpu = process.cpuUsage(cpuBefore);
scanPeakRss = Math.max(scanPeakRss, process.memoryUsage.rss());
bar.stop();
const finishedAt = performance.now();
await catalog.close();
const result = {
  ...report,
  errors: report.errors.length,
  openSeconds: (openedAt - startedAt) / 1000,
  scanSeconds: (finishedAt - openedAt) / 1000,
  /** The scan's CPU time (user + system, all threads): what it costs apart from waiting for cores. */
  scanCpuSeconds: (cpu.user + cpu.system) / 1e6,
  rssAfterOpenMb: megabytes(rssAfterOpen),
  openPeakRssMb,
  scanPeakRssMb: megabytes(scanPeakRss),
  peakRssMb: process.resourceUsage().maxRSS / 1024,
};
if (values.json) console.log(JSON.stringify(result));
else console.error(`scanned: ${JSON.stringify(result)}`);
