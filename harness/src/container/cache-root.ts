import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the container tooling keeps per-machine state (build records, scratch space for base
 * images): outside the clone, next to the mediasoup worker cache, so every clone on this machine
 * shares one image build. `MEDIA_IMAGE_CACHE_DIR` moves it.
 */
export function containerCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const root =
    env.MEDIA_IMAGE_CACHE_DIR ||
    join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'dmp-party', 'media-image');
  mkdirSync(root, { recursive: true });
  return root;
}
