/**
 * The host's memory: (1) the built app's RSS, idle after serving each catalog page, with a
 * 10,000-track PGlite catalog; (2) `npm start`'s whole footprint, the RSS of every process it
 * runs (host app, listener site, edge under wrangler dev, media node, their workers), once it
 * printed its URLs and settled.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, startAppServer } from '@dmp-party/harness/app-server';
import { spawnNpmStart } from '@dmp-party/harness/npm-start-process';
import { stopGroups } from '@dmp-party/harness/process-group';
import { REPO_ROOT } from '@dmp-party/harness/repo';
import { fillCatalog } from './catalog-pages';

export interface ProcessMemory {
  name: string;
  rssMb: number;
}

export interface HostFootprint {
  tracks: number;
  appIdleRssMb: number;
  appPeakRssMb: number;
  npmStart: ProcessMemory[];
}

/** VmRSS and VmHWM (peak) of `pid`, in MB. */
function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/** Every process under `rootPid` (itself included), with its RSS, from `ps`. */
function processTree(rootPid: number): ProcessMemory[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,rss=,args='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => {
      const [pid, ppid, rss, ...args] = line.trim().split(/\s+/);
      return { pid: Number(pid), ppid: Number(ppid), rssKb: Number(rss), args: args.join(' ') };
    });
  const inTree = new Set([rootPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const row of rows)
      if (inTree.has(row.ppid) && !inTree.has(row.pid)) {
        inTree.add(row.pid);
        grew = true;
      }
  }
  return rows
    .filter((row) => inTree.has(row.pid) && row.rssKb > 0)
    .map((row) => ({ name: row.args.slice(0, 90), rssMb: row.rssKb / 1024 }));
}

async function appIdle(tracks: number): Promise<{ idleMb: number; peakMb: number }> {
  const root = mkdtempSync(join(tmpdir(), 'dmp-footprint-'));
  const dataDir = join(root, 'pglite');
  const { releaseId, artistId } = await fillCatalog(dataDir, tracks);
  buildApp();
  const server = await startAppServer({ PARTY_ROLE: 'listener', PGLITE_DATA_DIR: dataDir });
  try {
    for (const path of [
      '/',
      '/artists',
      `/artists/${artistId}`,
      '/releases?page=5',
      `/releases/${releaseId}`,
    ])
      for (let i = 0; i < 5; i++) await (await fetch(`${server.url}${path}`)).text();
    for (const path of ['/tracks?page=50', '/search?q=song%207'])
      for (let i = 0; i < 5; i++) await (await fetch(`${server.url}${path}`)).text();
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const { rssMb, peakMb } = memoryOf(server.pid as number);
    return { idleMb: rssMb, peakMb };
  } finally {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

async function npmStartFootprint(): Promise<ProcessMemory[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dmp-footprint-start-'));
  const { child: start, output } = await spawnNpmStart(REPO_ROOT, {
    ...process.env,
    PGLITE_DATA_DIR: join(dataDir, 'pglite'),
  });
  try {
    const deadline = Date.now() + 480_000;
    while (!output().includes('Press Ctrl-C to stop.')) {
      if (start.exitCode !== null || Date.now() > deadline)
        throw new Error(`npm start did not come up:\n${output().slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    // Settled: the host's first scan of the demo library and the apps' first pages are done.
    await new Promise((resolve) => setTimeout(resolve, 20_000));
    return processTree(start.pid as number);
  } finally {
    await stopGroups([start], 10_000);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function runHostFootprint(tracks: number): Promise<HostFootprint> {
  console.error(`[bench] host footprint: app idle with ${tracks} tracks`);
  const app = await appIdle(tracks);
  console.error('[bench] host footprint: npm start');
  const npmStart = await npmStartFootprint();
  return { tracks, appIdleRssMb: app.idleMb, appPeakRssMb: app.peakMb, npmStart };
}
