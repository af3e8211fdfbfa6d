import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TOOL_OUTPUT_TO_STDERR } from './system-requirements';

/** mediasoup 3.12's worker/meson.build declares `meson_version: '>= 1.1.0'`; Debian 12 ships 1.0. */
const MINIMUM_MESON = [1, 1, 0] as const;

function mesonVersion(command: string): number[] | undefined {
  const result = spawnSync(command, ['--version'], { encoding: 'utf8' });
  if (result.status !== 0) return undefined;
  return result.stdout.trim().split('.').map(Number);
}

function isNewEnough(version: number[]): boolean {
  for (let i = 0; i < MINIMUM_MESON.length; i++) {
    const part = version[i] ?? 0;
    const minimum = MINIMUM_MESON[i] ?? 0;
    if (part !== minimum) return part > minimum;
  }
  return true;
}

/**
 * Returns a meson command of at least 1.1: the one on PATH if new enough, else one installed with
 * pip into a virtual environment under the cache folder (nothing is installed system-wide).
 */
export function ensureMeson(cacheRoot: string, log: (line: string) => void): string {
  const onPath = mesonVersion('meson');
  if (onPath && isNewEnough(onPath)) return 'meson';

  const venv = join(cacheRoot, 'toolchain', 'meson-venv');
  const venvMeson = join(venv, 'bin', 'meson');
  const cached = existsSync(venvMeson) ? mesonVersion(venvMeson) : undefined;
  if (cached && isNewEnough(cached)) return venvMeson;

  log(`installing meson >= ${MINIMUM_MESON.join('.')} with pip into ${venv}`);
  execFileSync('python3', ['-m', 'venv', venv], { stdio: TOOL_OUTPUT_TO_STDERR });
  // One retry: where only a local package mirror is reachable, retries against the public index
  // just add minutes of backoff before the mirror answers.
  execFileSync(join(venv, 'bin', 'pip'), ['install', '--quiet', '--retries', '1', 'meson>=1.1,<2'], {
    stdio: TOOL_OUTPUT_TO_STDERR,
  });
  return venvMeson;
}
