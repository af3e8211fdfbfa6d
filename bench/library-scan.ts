/**
 * Library scan benchmark: generates N tagged WAV files (20 artists x 10 releases x tracks), scans
 * them into an on-disk PGlite catalog in a child process (so its peak memory is the scanner's own),
 * then rescans unchanged. Reports files/s, the process's RSS after opening the catalog, and the
 * scan's own peak RSS (sampled per file), so a flat scan shows as the same peak at any size.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthWav } from '@dmp-party/app/synth-audio';

export interface ScanRun {
  added: number;
  unchanged: number;
  errors: number;
  openSeconds: number;
  scanSeconds: number;
  /** RSS once the catalog is open and migrated, before the scan starts. */
  rssAfterOpenMb: number;
  /** The process's maximum RSS by then: PGlite's start, creation of the database included. */
  openPeakRssMb: number;
  /** Highest RSS sampled during the scan (once per file and at the end). */
  scanPeakRssMb: number;
  /** The whole process's maximum RSS (open and scan). */
  peakRssMb: number;
}

export interface ScanBenchResult {
  files: number;
  firstScan: ScanRun;
  rescan: ScanRun;
}

export function runLibraryScanBench(files: number): ScanBenchResult {
  const root = mkdtempSync(join(tmpdir(), 'dmp-scan-bench-'));
  try {
    const musicDir = join(root, 'music');
    for (let i = 0; i < files; i++) {
      const artist = `Artist ${i % 20}`;
      const album = `Album ${Math.floor(i / 20) % 10}`;
      const folder = join(musicDir, artist, `${album} (${Math.floor(i / 200)})`);
      mkdirSync(folder, { recursive: true });
      const wav = synthWav({
        seconds: 0.1,
        leftHz: 200 + (i % 50),
        rightHz: 300 + (i % 70),
        id3: {
          title: `Track ${i}`,
          artist,
          album: `${album} (${Math.floor(i / 200)})`,
          trackNumber: String(i % 200),
        },
      });
      writeFileSync(join(folder, `${String(i).padStart(5, '0')} - Track ${i}.wav`), wav);
    }
    const scan = (): ScanRun =>
      JSON.parse(
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
      ) as ScanRun;
    return { files, firstScan: scan(), rescan: scan() };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
