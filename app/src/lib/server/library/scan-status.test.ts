import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScanStatus, ScanStatusSchema } from '../../scan-status-schema';
import { type OpenCatalog, openCatalog } from '../db/connect';
import { scanLibrary } from './scan';
import { getScanStatus, runTrackedScan } from './scan-status';
import { synthWav } from './synth-audio';

const musicDir = mkdtempSync(join(tmpdir(), 'dmp-scan-status-'));
let catalog: OpenCatalog;
const logs: string[] = [];

beforeAll(async () => {
  mkdirSync(join(musicDir, 'Artist', 'Album'), { recursive: true });
  for (let i = 1; i <= 3; i++) {
    writeFileSync(
      join(musicDir, 'Artist', 'Album', `0${i} - Song ${i}.wav`),
      synthWav({ seconds: 0.2, leftHz: 300, rightHz: 400, id3: { title: `Song ${i}`, artist: 'Artist' } }),
    );
  }
  writeFileSync(join(musicDir, 'Artist', 'Album', '04 - Broken.mp3'), 'not audio');
  catalog = await openCatalog({ dataDir: 'memory://' });
});

afterAll(async () => {
  await catalog.close();
  rmSync(musicDir, { recursive: true, force: true });
});

describe('the tracked library scan', () => {
  it('is idle before any scan', () => {
    expect(getScanStatus()).toMatchObject({ state: 'idle', done: 0, total: 0, lastReport: null });
  });

  it('reports each phase while running, then the counts when done', async () => {
    const seen: ScanStatus[] = [];
    const report = await runTrackedScan(
      (onProgress) =>
        scanLibrary(catalog.db, musicDir, {
          onProgress: (progress) => {
            onProgress(progress);
            // What the endpoint would answer at this moment, checked against the wire schema.
            seen.push(ScanStatusSchema.parse(getScanStatus()));
          },
        }),
      (line) => logs.push(line),
    );
    expect(report?.added).toBe(3);
    expect(seen.every((status) => status.state === 'running' && status.startedAt)).toBe(true);
    expect(seen.map((status) => status.phase)).toEqual([
      'listing',
      'reading',
      'reading',
      'reading',
      'reading',
      'finishing',
    ]);
    // One file at a time, in order: file i is announced only once the i files before it are done.
    expect(seen.filter((s) => s.phase === 'reading').map((s) => [s.done, s.total, s.current])).toEqual([
      [0, 4, join('Artist', 'Album', '01 - Song 1.wav')],
      [1, 4, join('Artist', 'Album', '02 - Song 2.wav')],
      [2, 4, join('Artist', 'Album', '03 - Song 3.wav')],
      [3, 4, join('Artist', 'Album', '04 - Broken.mp3')],
    ]);
    expect(seen.at(-1)?.errors).toBe(1);

    const done = ScanStatusSchema.parse(getScanStatus());
    expect(done).toMatchObject({ state: 'done', phase: null, done: 4, total: 4, current: null, errors: 1 });
    expect(done.lastReport).toEqual({ added: 3, updated: 0, unchanged: 0, removed: 0, errors: 1 });
    expect(Date.parse(done.finishedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(done.startedAt ?? ''));
    expect(logs.some((line) => line.includes('04 - Broken.mp3'))).toBe(true);
  });

  it('runs one scan at a time', async () => {
    const scan = (onProgress: Parameters<Parameters<typeof runTrackedScan>[0]>[0]) =>
      scanLibrary(catalog.db, musicDir, { onProgress });
    const first = runTrackedScan(scan, () => undefined);
    expect(runTrackedScan(scan, () => undefined)).toBe(first);
    expect((await first)?.unchanged).toBe(3);
  });

  it('reports a scan that fails as a whole, keeping the previous counts', async () => {
    const report = await runTrackedScan(
      (onProgress) => scanLibrary(catalog.db, join(musicDir, 'missing'), { onProgress }),
      (line) => logs.push(line),
    );
    expect(report).toBeUndefined();
    const status = getScanStatus();
    expect(status).toMatchObject({ state: 'failed', lastReport: { unchanged: 3 } });
    expect(status.failure).toContain('ENOENT');
  });
});
