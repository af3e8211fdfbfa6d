import { execFileSync, spawnSync } from 'node:child_process';

/**
 * Debian packages the worker build needs. The libraries are linked dynamically from Debian,
 * except libsrtp, which is compiled from Debian's source package (see libsrtp-source.ts).
 */
export const BUILD_PACKAGES = [
  'g++',
  'make',
  'pkg-config',
  'python3',
  'python3-venv',
  'ninja-build',
  'dpkg-dev',
  'libssl-dev',
  'libuv1-dev',
  'libabsl-dev',
  'libusrsctp-dev',
  'nlohmann-json3-dev',
] as const;

/** Debian packages the built worker needs at run time (the media node's container installs these). */
export const RUNTIME_PACKAGES = ['libssl3', 'libuv1', 'libabsl20220623', 'libusrsctp2'] as const;

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Packages from `names` that dpkg does not report as installed. */
export function missingDebianPackages(names: readonly string[]): string[] {
  return names.filter((name) => {
    // dpkg-query's own format syntax, not a template literal.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query format string
    const result = spawnSync('dpkg-query', ['-W', '-f=${db:Status-Status}', name], {
      encoding: 'utf8',
    });
    return result.status !== 0 || result.stdout.trim() !== 'installed';
  });
}

export class MissingRequirementsError extends Error {}

/**
 * stdio for tools run during the worker build: their output goes to stderr, because
 * build-worker.ts prints the binary's path on stdout and Dockerfile.media reads it from there.
 */
export const TOOL_OUTPUT_TO_STDERR: ['ignore', number, number] = ['ignore', 2, 2];

/**
 * Makes sure Debian packages are installed: installs the missing ones with apt-get when running as
 * root, otherwise stops with the exact command to run. `purpose` says who needs them.
 */
export function ensureDebianPackages(names: readonly string[], purpose: string, log = console.error): void {
  if (spawnSync('dpkg-query', ['--version']).status !== 0) {
    throw new MissingRequirementsError(
      `${purpose} needs a Debian-based system (dpkg/apt-get were not found).`,
    );
  }
  const missing = missingDebianPackages(names);
  if (missing.length === 0) return;
  if (!isRoot()) {
    throw new MissingRequirementsError(
      `${purpose} needs these Debian packages: ${missing.join(' ')}\n` +
        `Install them with:  sudo apt-get install -y ${missing.join(' ')}`,
    );
  }
  log(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: TOOL_OUTPUT_TO_STDERR, env });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], {
    stdio: TOOL_OUTPUT_TO_STDERR,
    env,
  });
}

/** The worker build's packages (or set MEDIASOUP_WORKER_BIN to skip the build altogether). */
export function ensureBuildPackages(log: (line: string) => void): void {
  ensureDebianPackages(
    BUILD_PACKAGES,
    'The mediasoup worker build (or set MEDIASOUP_WORKER_BIN to an existing worker binary)',
    log,
  );
}
