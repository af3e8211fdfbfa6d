/**
 * A private PostgreSQL cluster for tests, from Debian's `postgresql` package: installed with
 * apt-get when running as root, otherwise a loud failure naming the package. The cluster lives in a
 * temporary folder on a random port, so the machine's own clusters are untouched.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDebianPackages, isRoot } from './debian';
import { freeTcpPort } from './ports';

function postgresBinDir(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base)
    .filter((name) => existsSync(join(base, name, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(base, versions[0], 'bin') : undefined;
}

function ensureInstalled(): string {
  const existing = postgresBinDir();
  if (existing) return existing;
  ensureDebianPackages(['postgresql'], 'The PostgreSQL tests');
  const installed = postgresBinDir();
  if (!installed) throw new Error('apt-get installed postgresql but no server binary was found');
  return installed;
}

/** initdb refuses to run as root: run the cluster as Debian's `postgres` user then. */
function run(bin: string, args: string[]): void {
  const [command, commandArgs] = isRoot() ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  const result = spawnSync(command, commandArgs, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${bin} failed: ${result.stderr || result.stdout}`);
}

export interface PostgresServer {
  url: string;
  port: number;
  stop(): void;
}

export async function startPostgres(): Promise<PostgresServer> {
  const bin = ensureInstalled();
  const dir = mkdtempSync(join(tmpdir(), 'dmp-pg-'));
  if (isRoot()) {
    const ids = execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim();
    const gid = execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim();
    chownSync(dir, Number(ids), Number(gid));
  }
  const port = await freeTcpPort();
  run(join(bin, 'initdb'), [
    '-D',
    join(dir, 'data'),
    '-U',
    'dmp',
    '--auth=trust',
    '--encoding=UTF8',
    '--no-sync',
  ]);
  run(join(bin, 'pg_ctl'), [
    '-D',
    join(dir, 'data'),
    '-o',
    `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off`,
    '-w',
    '-l',
    join(dir, 'server.log'),
    'start',
  ]);
  return {
    url: `postgres://dmp@127.0.0.1:${port}/postgres`,
    port,
    stop() {
      run(join(bin, 'pg_ctl'), ['-D', join(dir, 'data'), '-m', 'fast', '-w', 'stop']);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
