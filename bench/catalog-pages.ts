/**
 * Catalog page response times: a PGlite catalog of 10,000 tracks (20 artists x 50 releases x 10),
 * served by the built app (adapter-node) in listener role, so no scan touches it. Each page type is
 * requested sequentially, after a warm-up; p50/p95 of full response time (headers and body).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { artists, openCatalog, releases, sortName, stableId, tracks } from '@dmp-party/app/catalog';
import { buildApp, startAppServer } from '@dmp-party/harness/app-server';

export interface PageTiming {
  page: string;
  requests: number;
  p50Ms: number;
  p95Ms: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;

/** A catalog of `trackCount` tracks (20 artists, releases of 10) written straight into PGlite. */
export async function fillCatalog(
  dataDir: string,
  trackCount: number,
): Promise<{ releaseId: string; artistId: string }> {
  const catalog = await openCatalog({ dataDir });
  const perRelease = 10;
  const releaseCount = trackCount / perRelease;
  for (let a = 0; a < 20; a++) {
    const name = `Bench Artist ${a}`;
    await catalog.db.insert(artists).values({ id: stableId('artist', name), name, sortName: sortName(name) });
  }
  for (let r = 0; r < releaseCount; r++) {
    const artistId = stableId('artist', `Bench Artist ${r % 20}`);
    const releaseId = stableId('release', `bench ${r}`);
    await catalog.db
      .insert(releases)
      .values({ id: releaseId, title: `Release ${r}`, artistId, year: 1990 + (r % 30) });
    await catalog.db.insert(tracks).values(
      Array.from({ length: perRelease }, (_, t) => ({
        id: stableId('track', `bench/${r}/${t}.flac`),
        releaseId,
        artistId,
        title: `Song ${r}-${t}`,
        trackNumber: t + 1,
        durationMs: 200_000,
        codec: 'FLAC',
        filePath: `bench/${r}/${t}.flac`,
        fileSize: 30_000_000,
        fileMtimeMs: 0,
      })),
    );
  }
  await catalog.close();
  return { releaseId: stableId('release', 'bench 7'), artistId: stableId('artist', 'Bench Artist 3') };
}

export async function runCatalogPagesBench(
  trackCount = 10_000,
  requestsPerPage = 200,
): Promise<PageTiming[]> {
  const root = mkdtempSync(join(tmpdir(), 'dmp-pages-bench-'));
  const dataDir = join(root, 'pglite');
  const { releaseId, artistId } = await fillCatalog(dataDir, trackCount);
  buildApp();
  const server = await startAppServer({ PARTY_ROLE: 'listener', PGLITE_DATA_DIR: dataDir });
  try {
    const pages = {
      home: '/',
      artists: '/artists',
      artist: `/artists/${artistId}`,
      releases: '/releases?page=5',
      release: `/releases/${releaseId}`,
      tracks: '/tracks?page=50',
      search: '/search?q=song%207',
    };
    const results: PageTiming[] = [];
    for (const [page, path] of Object.entries(pages)) {
      for (let i = 0; i < 10; i++) await (await fetch(`${server.url}${path}`)).text();
      const times: number[] = [];
      for (let i = 0; i < requestsPerPage; i++) {
        const started = performance.now();
        const response = await fetch(`${server.url}${path}`);
        await response.text();
        if (!response.ok) throw new Error(`${path} answered ${response.status}`);
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      results.push({
        page: `${page} (${path.split('?')[0]})`,
        requests: requestsPerPage,
        p50Ms: percentile(times, 0.5),
        p95Ms: percentile(times, 0.95),
      });
      console.error(
        `[pages] ${page}: p50 ${percentile(times, 0.5).toFixed(1)} ms, p95 ${percentile(times, 0.95).toFixed(1)} ms`,
      );
    }
    return results;
  } finally {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
