/**
 * The catalog module of the production worker (vite.config.ts swaps it in for catalog-instance.ts in
 * the Cloudflare build). The worker is always the read-only listener site: it opens the database the
 * host's app scans into, through Neon's driver, and never migrates, scans or reads audio files.
 * Settings come from process.env, which nodejs_compat fills from the worker's vars and secrets.
 */
import type { AppContext } from './catalog-instance';
import { loadAppConfig } from './config';
import { neonDatabase } from './db/neon';

let context: Promise<AppContext> | undefined;

export function appContext(): Promise<AppContext> {
  context ??= (async () => {
    const config = loadAppConfig({ PARTY_ROLE: 'listener', ...process.env });
    if (config.PARTY_ROLE !== 'listener') {
      throw new Error('Invalid app configuration:\n  PARTY_ROLE must be "listener" in the worker');
    }
    if (!config.DATABASE_URL) {
      throw new Error(
        "Invalid app configuration:\n  DATABASE_URL is required in the worker (the host's Neon database)",
      );
    }
    const { db, pool } = neonDatabase(config.DATABASE_URL, {
      wsProxy: config.NEON_WS_PROXY,
      connectionPerQuery: true,
    });
    return {
      config,
      catalog: { db: db as unknown as AppContext['catalog']['db'], driver: 'neon', close: () => pool.end() },
      musicDir: '',
    };
  })();
  return context;
}
