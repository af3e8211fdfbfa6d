import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The edge worker under `wrangler dev` (local workerd). Vars and secrets go through an env file
 * readable only by this user, not the command line (which `ps` shows).
 */
export class WranglerDev {
  #child: ChildProcess;
  readonly #stateDir: string;
  readonly #args: string[];
  readonly url: string;

  private constructor(child: ChildProcess, stateDir: string, args: string[], url: string) {
    this.#child = child;
    this.#stateDir = stateDir;
    this.#args = args;
    this.url = url;
  }

  /** Starts on `port`, or on a port the OS reports free (so parallel runs do not collide). */
  static async start(vars: Record<string, string>, port?: number): Promise<WranglerDev> {
    port ??= await freePort();
    const stateDir = mkdtempSync(join(tmpdir(), 'dmp-edge-bench-'));
    const args = ['dev', '--config', 'wrangler.toml', '--ip', '127.0.0.1', '--port', String(port)];
    const envFile = join(stateDir, 'bench.env');
    writeFileSync(
      envFile,
      Object.entries(vars)
        .map(([key, value]) => `${key}=${value}\n`)
        .join(''),
      { mode: 0o600 },
    );
    args.push('--persist-to', stateDir, '--env-file', envFile);
    args.push('--log-level', 'warn', '--show-interactive-dev-session=false');
    const url = `http://127.0.0.1:${port}`;
    return new WranglerDev(await launch(args, url), stateDir, args, url);
  }

  /**
   * Stops and starts the edge on the same port and state, as a deploy does in production: every
   * WebSocket drops, Durable Object storage survives, and clients must reconnect by themselves.
   */
  async restart(): Promise<void> {
    await this.#terminate();
    this.#child = await launch(this.#args, this.url);
  }

  async stop(): Promise<void> {
    await this.#terminate();
    rmSync(this.#stateDir, { recursive: true, force: true });
  }

  async #terminate(): Promise<void> {
    if (this.#child.exitCode !== null) return;
    this.#child.kill('SIGTERM');
    await once(this.#child, 'exit');
  }
}

async function launch(args: string[], url: string): Promise<ChildProcess> {
  const child = spawn('node_modules/.bin/wrangler', args, {
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: '1' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const deadline = Date.now() + 60_000;
  while (!(await fetch(`${url}/api/party/status`).catch(() => undefined))?.ok) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('wrangler dev did not start');
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
