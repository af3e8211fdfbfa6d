/**
 * The catalog through Neon's serverless driver (PostgreSQL over a WebSocket). It runs in Node and
 * inside Workers alike, so this module imports nothing Node-only: the production worker opens the
 * catalog through it too.
 */
import { neonConfig, Pool } from '@neondatabase/serverless';
import { drizzle } from 'drizzle-orm/neon-serverless';
import * as schema from './schema';

export interface NeonOptions {
  /**
   * Local testing only: `host:port` of a WebSocket-to-TCP proxy in front of a plain PostgreSQL
   * (Neon's own edge terminates the WebSocket with TLS in production).
   */
  wsProxy?: string | undefined;
  /**
   * Workers: one connection per query. A Worker may not use a socket opened while serving another
   * request, so a pool that keeps idle connections between requests would fail on the next one.
   */
  connectionPerQuery?: boolean;
}

/** A drizzle database over a Neon pool; the caller migrates (or not) and ends the pool. */
export function neonDatabase(databaseUrl: string, { wsProxy, connectionPerQuery }: NeonOptions = {}) {
  if (wsProxy) {
    neonConfig.wsProxy = (host, port) => `${wsProxy}/v2?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
  }
  // `neon=1` only selects this driver; PostgreSQL must not see it as a startup parameter.
  const url = new URL(databaseUrl);
  url.searchParams.delete('neon');
  const pool = new Pool({ connectionString: url.toString(), ...(connectionPerQuery ? { maxUses: 1 } : {}) });
  // A dropped connection after end() would otherwise surface as an uncaught error.
  pool.on('error', () => undefined);
  return { db: drizzle(pool, { schema }), pool };
}
