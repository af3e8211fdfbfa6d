import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopGroups } from './process-group';
import { REPO_ROOT } from './repo';

export interface WranglerDevOptions {
  /** Defaults to a port the OS reports free (so parallel runs do not collide). */
  port?: number;
  /** Wrangler config: the edge alone (default) or the root wrangler.toml (edge + listener app). */
  config?: 'edge/wrangler.toml' | 'wrangler.toml';
  /** How long start may take; the root config runs its app build first. */
  startTimeoutMs?: number;
}

/**
 * A worker under `wrangler dev` (local workerd). Vars and secrets go through an env file readable
 * only by this user, not the command line (which `ps` shows). The process runs in its own process
 * group, so stopping it also ends workerd and a custom build's children.
 */
export class WranglerDev {
  #child: ChildProcess;
  readonly #stateDir: string;
  readonly #launch: () => Promise<ChildProcess>;
  readonly url: string;

  private constructor(
    child: ChildProcess,
    stateDir: string,
    launch: () => Promise<ChildProcess>,
    url: string,
  ) {
    this.#child = child;
    this.#stateDir = stateDir;
    this.#launch = launch;
    this.url = url;
  }

  static async start(vars: Record<string, string>, options: WranglerDevOptions = {}): Promise<WranglerDev> {
    const stateDir = mkdtempSync(join(tmpdir(), 'dmp-wrangler-dev-'));
    const config = options.config ?? 'edge/wrangler.toml';
    const envFile = join(stateDir, 'worker.env');
    writeFileSync(
      envFile,
      Object.entries(vars)
        .map(([key, value]) => `${key}=${value}\n`)
        .join(''),
      { mode: 0o600 },
    );
    // A port the OS has just reported free can be taken before wrangler binds it (every workerd
    // binds ports of its own, and tests run side by side): a start that exits at once on a port
    // of our choosing tries another.
    for (let attempt = 1; ; attempt++) {
      const port = options.port ?? (await freePort());
      const args = ['dev', '--config', config, '--ip', '127.0.0.1', '--port', String(port)];
      args.push('--persist-to', stateDir, '--env-file', envFile);
      args.push('--log-level', 'warn', '--show-interactive-dev-session=false');
      const url = `http://127.0.0.1:${port}`;
      const launchOnce = () => launch(args, url, config, options.startTimeoutMs ?? 60_000);
      try {
        return new WranglerDev(await launchOnce(), stateDir, launchOnce, url);
      } catch (error) {
        if (options.port !== undefined || !(error instanceof WranglerExited) || attempt === 3) {
          rmSync(stateDir, { recursive: true, force: true });
          throw error;
        }
      }
    }
  }

  /**
   * Stops and starts the worker on the same port and state, as a deploy does in production: every
   * WebSocket drops, Durable Object storage survives, and clients must reconnect by themselves.
   */
  async restart(): Promise<void> {
    await stopGroups([this.#child], 5_000);
    this.#child = await this.#launch();
  }

  async stop(): Promise<void> {
    await stopGroups([this.#child], 5_000);
    rmSync(this.#stateDir, { recursive: true, force: true });
  }
}

/** Wrangler ended before it served (a port taken, a config it refused): its output says why. */
class WranglerExited extends Error {}

async function launch(args: string[], url: string, config: string, timeoutMs: number): Promise<ChildProcess> {
  const child = spawn('node_modules/.bin/wrangler', args, {
    cwd: REPO_ROOT,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', CI: '1' },
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  const deadline = Date.now() + timeoutMs;
  while (!(await fetch(`${url}/api/party/status`).catch(() => undefined))?.ok) {
    if (child.exitCode !== null) {
      throw new WranglerExited(`wrangler dev (${config}) exited at start (${child.exitCode})`);
    }
    if (Date.now() > deadline) {
      await stopGroups([child], 5_000);
      throw new Error(`wrangler dev (${config}) did not start`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return child;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
