/**
 * The container engine the tests and benchmarks use: Debian's podman, run as docker would be.
 * Two flags are this machine kind's, not the image's: runc (crun refuses its hybrid cgroup layout)
 * and explicit ulimits below the machine's hard limits (podman's defaults exceed them and the
 * runtime fails with "setrlimit ... Operation not permitted").
 */
import { type ExecFileSyncOptions, execFileSync, spawnSync } from 'node:child_process';
import { ensureDebianPackages } from '../debian';

export const CONTAINER_PACKAGES = ['podman', 'runc', 'mmdebstrap'] as const;

/** Flags every `podman run` and `podman build` here gets. */
export const MACHINE_RUN_FLAGS = [
  '--runtime',
  'runc',
  '--ulimit',
  'nofile=1024:1024',
  '--ulimit',
  'nproc=1024:1024',
] as const;

/** podman, runc and mmdebstrap: installed with apt-get when root, else a loud failure naming the command. */
export function ensurePodman(log: (line: string) => void = console.error): void {
  ensureDebianPackages(CONTAINER_PACKAGES, 'The media node container tests', log);
}

/** Runs podman and returns its trimmed stdout; a failure carries podman's own message. */
export function podman(args: readonly string[], options: ExecFileSyncOptions = {}): string {
  try {
    return String(execFileSync('podman', args, { encoding: 'utf8', stdio: 'pipe', ...options })).trim();
  } catch (error) {
    const stderr = (error as { stderr?: Buffer | string }).stderr?.toString().trim();
    throw new Error(`podman ${args.join(' ')} failed${stderr ? `: ${stderr}` : ''}`);
  }
}

/** Runs podman and reports only whether it succeeded (for checks such as `image exists`). */
export function podmanSucceeds(args: readonly string[]): boolean {
  return spawnSync('podman', args, { stdio: 'ignore' }).status === 0;
}
