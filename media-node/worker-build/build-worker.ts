/**
 * Makes a mediasoup worker binary available and prints its path:
 *   1. `MEDIASOUP_WORKER_BIN` when set (used as is);
 *   2. else a cached build for the installed mediasoup version (outside the clone);
 *   3. else a build from the npm package's worker/ against Debian's libraries, with libsrtp built
 *      from Debian's source package on OpenSSL. Needs no network beyond Debian's archive and pip.
 * Both the tests and Dockerfile.media run this same script.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import {
  cachedWorkerBinaryPath,
  installedMediasoupVersion,
  mediasoupPackageDir,
  workerCacheKey,
  workerCacheRoot,
} from '../src/worker-location';
import { unpackLibsrtpSource } from './libsrtp-source';
import { ensureMeson } from './meson-toolchain';
import { runNinjaWithProgress } from './ninja-progress';
import { unhandledWraps, wrapDirectory, writeSubprojectShims } from './subproject-shims';
import { ensureBuildPackages, MissingRequirementsError } from './system-requirements';

const log = (line: string) => console.error(`[mediasoup-worker] ${line}`);

/** libsrtp version named by mediasoup 3.12.16's libsrtp2.wrap (`libsrtp-2.5.0`). */
function libsrtpVersion(directory: string): string {
  const match = /^libsrtp-(\d+\.\d+\.\d+)$/.exec(directory);
  if (!match?.[1]) throw new Error(`unexpected libsrtp2 wrap directory: ${directory}`);
  return match[1];
}

/** Refuses a binary that links a shared libsrtp or NSS: that is the slow crypto path. */
export function assertOpenSslSrtp(binary: string): void {
  const ldd = spawnSync('ldd', [binary], { encoding: 'utf8' });
  if (ldd.status !== 0) throw new Error(`ldd ${binary} failed: ${ldd.stderr}`);
  const offending = ldd.stdout.split('\n').filter((line) => /libsrtp|libnss|libnspr/.test(line));
  if (offending.length > 0) {
    throw new Error(`worker links libraries it must not:\n${offending.join('\n')}`);
  }
}

async function buildWorker(destination: string): Promise<void> {
  const cacheRoot = workerCacheRoot();
  const version = installedMediasoupVersion();
  log(`building mediasoup ${version} worker (a few minutes on 2 cores); cache: ${cacheRoot}`);
  ensureBuildPackages(log);
  const meson = ensureMeson(cacheRoot, log);

  const workDir = join(cacheRoot, `build-${workerCacheKey()}`);
  const sourceDir = join(workDir, 'worker');
  rmSync(sourceDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  cpSync(join(mediasoupPackageDir(), 'worker'), sourceDir, { recursive: true });

  const subprojects = join(sourceDir, 'subprojects');
  const missing = unhandledWraps(subprojects, ['libsrtp2']);
  if (missing.length > 0) throw new Error(`no recipe for subprojects: ${missing.join(', ')}`);
  writeSubprojectShims(subprojects);
  const srtpDirectory = wrapDirectory(subprojects, 'libsrtp2');
  unpackLibsrtpSource(
    join(cacheRoot, 'toolchain', 'libsrtp2-source'),
    join(subprojects, srtpDirectory),
    libsrtpVersion(srtpDirectory),
    log,
  );

  const outDir = join(workDir, 'out');
  log('configuring with meson');
  execFileSync(
    meson,
    [
      'setup',
      '--wrap-mode=nodownload',
      '--buildtype=release',
      '-Db_ndebug=true',
      '-Db_pie=true',
      '-Db_staticpic=true',
      '--wipe',
      outDir,
      sourceDir,
    ].filter((arg) => arg !== '--wipe' || existsSync(join(outDir, 'build.ninja'))),
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  await runNinjaWithProgress(['-C', outDir, 'mediasoup-worker'], join(workDir, 'ninja.log'));

  const built = join(outDir, 'mediasoup-worker');
  assertOpenSslSrtp(built);
  // Copy then rename, so a concurrent reader never sees a half-written binary.
  mkdirSync(join(destination, '..'), { recursive: true });
  const partial = `${destination}.partial-${process.pid}`;
  copyFileSync(built, partial);
  chmodSync(partial, 0o755);
  renameSync(partial, destination);
  writeFileSync(
    join(destination, '..', 'build-info.json'),
    `${JSON.stringify({ mediasoup: version, srtp: `libsrtp ${libsrtpVersion(srtpDirectory)} (Debian source, OpenSSL crypto)`, builtAt: new Date().toISOString() }, null, 2)}\n`,
  );
  rmSync(workDir, { recursive: true, force: true });
  log(`built ${destination}`);
}

export async function ensureWorkerBinary(): Promise<string> {
  const fromEnv = process.env.MEDIASOUP_WORKER_BIN;
  if (fromEnv) {
    if (!existsSync(fromEnv))
      throw new MissingRequirementsError(`MEDIASOUP_WORKER_BIN: no file at ${fromEnv}`);
    return fromEnv;
  }
  const cached = cachedWorkerBinaryPath();
  if (existsSync(cached)) return cached;
  await buildWorker(cached);
  return cached;
}

const isEntryPoint = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, '/'));
if (isEntryPoint) {
  ensureWorkerBinary().then(
    (path) => console.log(path),
    (error: unknown) => {
      if (error instanceof MissingRequirementsError) console.error(error.message);
      else console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
