import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { APP_NODE_FLAGS } from '@dmp-party/app/node-flags';
import { SCAN_STATUS_PATH, type ScanStatus, ScanStatusSchema } from '@dmp-party/app/scan-status';
import pg from 'pg';
import { appBuildIsStale } from './app-build';
import { freeTcpPort } from './ports';
import { type PostgresServer, startPostgres } from './postgres-server';
import { REPO_ROOT } from './repo';

const appDir = join(REPO_ROOT, 'app');

/** Builds the app with Vite (adapter-node), as a deployment would; skipped when the build is fresh. */
export function buildApp(): void {
  if (!appBuildIsStale(REPO_ROOT)) return;
  execFileSync(join(REPO_ROOT, 'node_modules/.bin/vite'), ['build', '--logLevel', 'error'], {
    cwd: appDir,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

export interface AppServer {
  url: string;
  /** The app's process (for its memory); absent where someone else runs it. */
  pid?: number;
  stop(): Promise<void>;
}

/** Starts the built app (`node build`) with `env`, and waits until it answers. */
export async function startAppServer(env: Record<string, string>, port?: number): Promise<AppServer> {
  port ??= await freeTcpPort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn('node', [...APP_NODE_FLAGS, 'build'], {
    cwd: appDir,
    env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', ORIGIN: url, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const deadline = Date.now() + 60_000;
  while (!(await fetch(url).catch(() => undefined))?.ok) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`app did not start (${child.exitCode})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    pid: child.pid,
    stop: async () => {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

/** The app's library scan status, as the UI polls it. */
export async function scanStatus(server: AppServer): Promise<ScanStatus> {
  return ScanStatusSchema.parse(await (await fetch(`${server.url}${SCAN_STATUS_PATH}`)).json());
}

/** Waits until the host's background scan has finished (the app serves pages while it runs). */
export async function waitForScan(server: AppServer, timeoutMs = 120_000): Promise<ScanStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await scanStatus(server);
    if (status.state === 'done' || status.state === 'failed') return status;
    if (Date.now() > deadline) throw new Error(`scan still ${status.state} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The host's app on a fresh real PostgreSQL, with its scan of `musicDir` finished. */
export interface ScannedHost {
  postgres: PostgresServer;
  database: pg.Client;
  host: AppServer;
  stop(): Promise<void>;
}

export async function startScannedHost(musicDir: string): Promise<ScannedHost> {
  const postgres = await startPostgres();
  const database = new pg.Client({ connectionString: postgres.url });
  await database.connect();
  buildApp();
  const host = await startAppServer({ PARTY_ROLE: 'host', DATABASE_URL: postgres.url, MUSIC_DIR: musicDir });
  await waitForScan(host);
  return {
    postgres,
    database,
    host,
    async stop() {
      await host.stop();
      await database.end();
      postgres.stop();
    },
  };
}

/** A host deployment and a listener deployment sharing one real PostgreSQL, as in production. */
export interface TwoRoles extends ScannedHost {
  listener: AppServer;
}

export async function startHostAndListener(musicDir: string): Promise<TwoRoles> {
  const scanned = await startScannedHost(musicDir);
  const listener = await startAppServer({ PARTY_ROLE: 'listener', DATABASE_URL: scanned.postgres.url });
  return {
    ...scanned,
    listener,
    async stop() {
      await listener.stop();
      await scanned.stop();
    },
  };
}
