/**
 * Opens the catalog database chosen by `DATABASE_URL` and applies migrations:
 *   unset                 -> embedded PGlite with its data in `dataDir` (zero setup)
 *   a Neon URL (*.neon.tech, or any URL with `neon=1`) -> @neondatabase/serverless over WebSocket
 *   any other postgres:// -> node-postgres
 * Every driver gets the same schema and the same queries.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { createPgliteInChild } from './pglite-create';
import * as schema from './schema';

export type Catalog = PgDatabase<PgQueryResultHKT, typeof schema>;
export type DriverName = 'pglite' | 'neon' | 'postgres';

export interface OpenCatalog {
  db: Catalog;
  driver: DriverName;
  close(): Promise<void>;
}

const migrationsFolder = fileURLToPath(new URL('../../../../drizzle', import.meta.url));

export function driverFor(databaseUrl: string | undefined): DriverName {
  if (!databaseUrl) return 'pglite';
  const url = new URL(databaseUrl);
  if (!['postgres:', 'postgresql:'].includes(url.protocol)) {
    throw new Error(`DATABASE_URL must be a postgres:// or postgresql:// URL (got ${url.protocol})`);
  }
  return url.hostname.endsWith('.neon.tech') || url.searchParams.get('neon') === '1' ? 'neon' : 'postgres';
}

/**
 * PGlite starts with a server's buffers (128 MB of shared buffers, held in the app's own memory
 * from the first query on); a personal catalog's working set is a few MB, and the operating
 * system's page cache keeps its files warm anyway. With these, the host app's idle RSS with a
 * 10,000-track catalog drops by about 120 MB (docs/BENCHMARKS.md, host footprint).
 */
const PGLITE_MEMORY = ['shared_buffers=16MB', 'wal_buffers=1MB', 'work_mem=2MB', 'maintenance_work_mem=16MB'];

export interface OpenOptions {
  databaseUrl?: string | undefined;
  /** PGlite data folder; `memory://` keeps it in memory (tests). */
  dataDir?: string;
  /** NEON_WS_PROXY (local testing only, see db/neon.ts). */
  neonWsProxy?: string | undefined;
}

export async function openCatalog({
  databaseUrl,
  dataDir = '.data/pglite',
  neonWsProxy,
}: OpenOptions = {}): Promise<OpenCatalog> {
  const driver = driverFor(databaseUrl);
  if (driver === 'pglite') {
    const { PGlite } = await import('@electric-sql/pglite');
    const { drizzle } = await import('drizzle-orm/pglite');
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
    const startParams = [
      ...PGlite.defaultStartParams,
      ...PGLITE_MEMORY.flatMap((setting) => ['-c', setting]),
    ];
    createPgliteInChild(dataDir, startParams);
    const client = new PGlite(dataDir, { startParams });
    const db = drizzle(client, { schema });
    await migrate(db, { migrationsFolder });
    return { db: db as unknown as Catalog, driver, close: () => client.close() };
  }
  if (driver === 'neon') {
    const { neonConfig } = await import('@neondatabase/serverless');
    const { neonDatabase } = await import('./neon');
    const { migrate } = await import('drizzle-orm/neon-serverless/migrator');
    // Node 20 has no global WebSocket; Workers do (and never load this module).
    if (typeof WebSocket === 'undefined') neonConfig.webSocketConstructor = (await import('ws')).WebSocket;
    const { db, pool } = neonDatabase(databaseUrl ?? '', { wsProxy: neonWsProxy });
    await migrate(db, { migrationsFolder });
    return { db: db as unknown as Catalog, driver, close: () => pool.end() };
  }
  const { Pool } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const { migrate } = await import('drizzle-orm/node-postgres/migrator');
  const pool = new Pool({ connectionString: databaseUrl });
  pool.on('error', () => undefined);
  const db = drizzle(pool, { schema });
  await migrate(db, { migrationsFolder });
  return { db: db as unknown as Catalog, driver, close: () => pool.end() };
}
