/**
 * The media node as production runs it: `media-node/src/main.ts` bundled into one ESM file by
 * esbuild, its dependencies with native parts or many files left to `node_modules`. The image
 * (Dockerfile.media) and the local runs (`npm start`, the harness's media node process) use this
 * one definition, so a restart measured here starts what a deployed node starts, without a
 * TypeScript loader compiling at every start (about a second on a busy machine).
 *
 * As a script: `tsx media-node/bundle/bundle-media-node.ts <outfile>`.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ENTRY = fileURLToPath(new URL('../src/main.ts', import.meta.url));

/** Resolved from `node_modules` at run time. */
export const BUNDLE_EXTERNALS = ['mediasoup', 'pino', 'prom-client', 'hono', '@hono/node-server', 'zod'];

/**
 * Where local runs keep the bundle: inside the clone, so its externals resolve from the clone's
 * `node_modules`.
 */
export const LOCAL_BUNDLE = fileURLToPath(new URL('../.bundle/media-node.mjs', import.meta.url));

/**
 * Bundles the media node into `outfile`. Written to a temporary name and renamed, so processes
 * bundling at once (test files in parallel) never run a half-written file.
 */
export async function bundleMediaNode(outfile = LOCAL_BUNDLE): Promise<string> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: BUNDLE_EXTERNALS,
    write: false,
    logLevel: 'warning',
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error('esbuild produced no media node bundle');
  mkdirSync(dirname(outfile), { recursive: true });
  const partial = join(dirname(outfile), `.${process.pid}-${Date.now()}.partial`);
  writeFileSync(partial, output.contents);
  renameSync(partial, outfile);
  return outfile;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const outfile = process.argv[2];
  if (!outfile) {
    console.error('usage: tsx media-node/bundle/bundle-media-node.ts <outfile>');
    process.exit(2);
  }
  await bundleMediaNode(outfile);
}
