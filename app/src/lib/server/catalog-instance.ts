import { join } from 'node:path';
import { type AppConfig, loadAppConfig } from './config';
import { type OpenCatalog, openCatalog } from './db/connect';
import { ensureDemoLibrary } from './library/demo-library';
import { scanLibrary } from './library/scan';

export interface AppContext {
  config: AppConfig;
  catalog: OpenCatalog;
  musicDir: string;
}

let context: Promise<AppContext> | undefined;

/**
 * The app's configuration and catalog, opened once per process. With MUSIC_DIR unset a demo
 * library is generated. The host scans at start; a listener deployment serves a catalog already
 * filled by the host's scan (same database), so it never needs the audio files.
 */
export function appContext(): Promise<AppContext> {
  context ??= (async () => {
    const config = loadAppConfig();
    const musicDir =
      config.MUSIC_DIR ?? ensureDemoLibrary(join(config.PGLITE_DATA_DIR, '..', 'demo-library'));
    const catalog = await openCatalog({
      databaseUrl: config.DATABASE_URL,
      dataDir: config.PGLITE_DATA_DIR,
      neonWsProxy: config.NEON_WS_PROXY,
    });
    if (config.PARTY_ROLE === 'host') {
      const report = await scanLibrary(catalog.db, musicDir);
      console.log(`[catalog] scan: ${JSON.stringify({ ...report, errors: report.errors.length })}`);
    }
    return { config, catalog, musicDir };
  })();
  return context;
}
