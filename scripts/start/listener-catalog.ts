import { join, resolve } from 'node:path';
import { ensureDemoLibrary } from '@dmp-party/app/demo-library';

/**
 * The local listener site's catalog. PGlite is an embedded database that one process at a time can
 * open, and the host's app holds `.data/pglite`; so with the embedded default the listener site gets
 * its own PGlite, filled by scanning the same library. Ids are derived from names and paths
 * (library/ids.ts), so both catalogs agree on every artist, release and track id and `nowPlaying`
 * links work. With DATABASE_URL set, both processes share that database and nothing is copied.
 */
export interface ListenerCatalogPlan {
  /** Env for the listener site's catalog. */
  env: Record<string, string>;
  /** When set: scan `musicDir` into `dataDir` before the listener site starts. */
  mirror?: { musicDir: string; dataDir: string };
}

export function planListenerCatalog(
  root: string,
  env: NodeJS.ProcessEnv,
  hostDataDir: string,
): ListenerCatalogPlan {
  if (env.DATABASE_URL) return { env: { DATABASE_URL: env.DATABASE_URL } };
  const dataDir = `${hostDataDir}-listener`;
  // The host app's own default: a demo library next to its PGlite data (catalog-instance.ts).
  const musicDir = env.MUSIC_DIR
    ? resolve(root, env.MUSIC_DIR)
    : ensureDemoLibrary(join(hostDataDir, '..', 'demo-library'));
  return { env: { PGLITE_DATA_DIR: dataDir }, mirror: { musicDir, dataDir } };
}
