import { join } from 'node:path';
import { type AppConfig, loadAppConfig } from './config';
import { type OpenCatalog, openCatalog } from './db/connect';
import { ensureDemoLibrary } from './library/demo-library';
import { scanLibrary } from './library/scan';
import { runTrackedScan } from './library/scan-status';

export interface AppContext {
  config: AppConfig;
  catalog: OpenCatalog;
  musicDir: string;
}

let context: Promise<AppContext> | undefined;

/**
 * The app's configuration and catalog, opened once per process. With MUSIC_DIR unset a demo
 * library is generated. The host starts a scan in the background: pages are served from the
 * catalog as it fills, and the UI shows the scan's progress (see library/scan-status.ts). A
 * listener deployment serves a catalog already filled by the host's scan (same database), so it
 * never needs the audio files and never scans.
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
    // adapter-node emits this once its HTTP server has closed (SIGINT/SIGTERM). An open PGlite
    // keeps the event loop alive, so without closing it the process would wait to be killed.
    (process as NodeJS.EventEmitter).once('sveltekit:shutdown', () => void catalog.close());
    if (config.PARTY_ROLE === 'host') {
      // Not awaited: a large library takes minutes, and the catalog is browsable meanwhile.
      void runTrackedScan((onProgress) => scanLibrary(catalog.db, musicDir, { onProgress }));
    }
    return { config, catalog, musicDir };
  })();
  return context;
}
