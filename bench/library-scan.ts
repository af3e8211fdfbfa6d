/**
 * Library scan benchmark: generates N tagged files (WAV, or encoded MP3 and FLAC: see
 * library-scan/test-library.ts), scans
 * them into an on-disk PGlite catalog in a child process (so its peak memory is the scanner's own),
 * then rescans unchanged. Reports files/s, the process's RSS after opening the catalog, and the
 * scan's own peak RSS (sampled every 20 ms), so a flat scan shows as the same peak at any size.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LibraryFormat, writeTestLibrary } from './library-scan/test-library';

export interface ScanRun {
  added: number;
  unchanged: number;
  errors: number;
  openSeconds: number;
  scanSeconds: number;
  /** The scan's CPU time (user and system, all threads). */
  scanCpuSeconds: number;
  /** RSS once the catalog is open and migrated, before the scan starts. */
  rssAfterOpenMb: number;
  /** The process's maximum RSS by then: PGlite's start, creation of the database included. */
  openPeakRssMb: number;
  /** Highest RSS sampled during the scan (every 20 ms and at the end). */
  scanPeakRssMb: number;
  /** The whole process's maximum RSS (open and scan). */
  peakRssMb: number;
  /** The machine's 1-minute load average as the scan began: other work competing for the cores. */
  loadAverage: number;
}

export interface ScanBenchResult {
  files: number;
  firstScan: ScanRun;
  rescan: ScanRun;
}

export function runLibraryScanBench(files: number, format: LibraryFormat = 'wav'): ScanBenchResult {
  const root = mkdtempSync(join(tmpdir(), 'dmp-scan-bench-'));
  try {
    const musicDir = join(root, 'music');
    writeTestLibrary(musicDir, files, format);
    const scan = (): ScanRun => ({
      loadAverage: loadavg()[0] ?? 0,
      ...(JSON.parse(
        execFileSync(
          'node_modules/.bin/tsx',
          [
            'app/src/lib/server/library/scan-cli.ts',
            '--music-dir',
            musicDir,
            '--data-dir',
            join(root, 'db'),
            '--json',
          ],
          {
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'inherit'],
            env: { ...process.env, DATABASE_URL: '' },
          },
        ),
      ) as Omit<ScanRun, 'loadAverage'>),
    });
    return { files, firstScan: scan(), rescan: scan() };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
