import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { containerCacheRoot } from './cache-root';

/**
 * Runs `run` while holding a machine-wide lock called `name` (a folder in the cache holding the
 * owner's pid), so that two test runs never make the same image at the same time: the second one
 * waits and then finds it made. A lock whose owner died is taken over.
 */
export async function withMachineLock<T>(name: string, run: () => Promise<T>): Promise<T> {
  const lock = join(containerCacheRoot(), `${name}.lock`);
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      if (isStale(lock)) rmSync(lock, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
  try {
    return await run();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Its owner is gone (or never wrote its pid within 10 s of taking it). */
function isStale(lock: string): boolean {
  try {
    const owner = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    process.kill(owner, 0);
    return false;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      try {
        return Date.now() - statSync(lock).mtimeMs > 10_000;
      } catch {
        return true;
      }
    }
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
