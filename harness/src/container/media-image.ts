/**
 * The media node image, built by podman from Dockerfile.media exactly as committed (only the
 * `NODE_IMAGE` build argument points at the local stand-in base images). A cold build compiles
 * the mediasoup worker (about 5 minutes on 2 cores), so the image is kept per machine under a tag
 * derived from every input that shapes it; any clone with the same inputs reuses it.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { workerCacheRoot } from '@dmp-party/media-node';
import { ensureWorkerBinary } from '@dmp-party/media-node/worker-build';
import { REPO_ROOT } from '../repo';
import { ensureNodeBaseImages } from './base-images';
import { containerCacheRoot } from './cache-root';
import { withMachineLock } from './machine-lock';
import { MACHINE_RUN_FLAGS, podmanSucceeds } from './podman';

const REPOSITORY = 'localhost/dmp-party-media';

/** Files and folders whose content ends up in the image (tests beside the code do not). */
const IMAGE_INPUTS = [
  'Dockerfile.media',
  '.dockerignore',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'protocol/package.json',
  'media-node/package.json',
  'edge/package.json',
  'app/package.json',
  'harness/package.json',
  'protocol/src',
  'media-node/src',
  'media-node/worker-build',
];

function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => filesUnder(join(path, name)));
}

/** A hash of the image's inputs and of the base image they are built on. */
export function mediaImageKey(baseImage: string, root = REPO_ROOT): string {
  const hash = createHash('sha256').update(`${baseImage}\n`);
  for (const input of IMAGE_INPUTS) {
    for (const file of filesUnder(join(root, input))) {
      if (file.endsWith('.test.ts')) continue;
      hash.update(`${relative(root, file)}\n`).update(readFileSync(file));
    }
  }
  return hash.digest('hex').slice(0, 16);
}

export interface MediaImage {
  tag: string;
  /** false when this call built it. */
  cached: boolean;
}

/**
 * `podman build` of Dockerfile.media into `tag`. Output goes to a log file; its `STEP` lines and the
 * worker build's progress go to stderr so a long cold build shows where it is.
 */
export async function buildMediaImage(
  tag: string,
  baseImage: string,
  extraArgs: string[] = [],
  log: (line: string) => void = console.error,
  context = REPO_ROOT,
): Promise<number> {
  const logFile = join(containerCacheRoot(), 'last-build.log');
  const output = createWriteStream(logFile);
  const started = performance.now();
  const args = ['build', ...MACHINE_RUN_FLAGS, '--network', 'host', '--format', 'docker'];
  args.push('--build-arg', `NODE_IMAGE=${baseImage}`, ...extraArgs, '-f', 'Dockerfile.media', '-t', tag, '.');
  log(`podman ${args.join(' ')}  (log: ${logFile})`);
  const child = spawn('podman', args, { cwd: context, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const onData = (chunk: Buffer) => {
    output.write(chunk);
    tail = (tail + chunk.toString()).slice(-6000);
    for (const line of chunk.toString().split('\n'))
      if (/STEP \d+\/\d+:|^\[mediasoup-worker\]/.test(line)) log(`  ${line.trim()}`);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  output.end();
  if (code !== 0)
    throw new Error(`podman build of Dockerfile.media failed (exit ${code}); log: ${logFile}\n${tail}`);
  return (performance.now() - started) / 1000;
}

/**
 * The image's worker step runs the same `build-worker.ts` with the same cache key as this machine's
 * own worker, so the tests lend it this machine's cache (a build-time volume at the image's
 * MEDIASOUP_WORKER_CACHE_DIR): the step then copies the cached binary instead of compiling it again
 * for ~5 minutes. Dockerfile.media is unchanged; a build without the volume (an operator's, or the
 * benchmark's cold build) compiles the worker inside the image.
 */
async function reuseMachineWorker(): Promise<string[]> {
  await ensureWorkerBinary();
  return ['--volume', `${workerCacheRoot()}:/opt/mediasoup-worker-cache:ro`];
}

/** The media node image for this checkout: reused when built before on this machine, else built now. */
export async function ensureMediaImage(log: (line: string) => void = console.error): Promise<MediaImage> {
  const baseImage = await ensureNodeBaseImages(log);
  const key = mediaImageKey(baseImage);
  const tag = `${REPOSITORY}:${key}`;
  if (podmanSucceeds(['image', 'exists', tag])) return { tag, cached: true };
  return withMachineLock(`build-${key}`, async () => {
    if (podmanSucceeds(['image', 'exists', tag])) return { tag, cached: true };
    log(`building the media node image ${tag} (first time on this machine: several minutes)`);
    await buildMediaImage(tag, baseImage, await reuseMachineWorker(), log);
    return { tag, cached: false };
  });
}
