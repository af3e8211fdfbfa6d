import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { resolveWorkerBinary } from '@dmp-party/media-node';
import { bundleMediaNode } from '@dmp-party/media-node/bundle';
import { MediaApiClient } from '@dmp-party/protocol';
import { signalGroup } from './process-group';
import { REPO_ROOT } from './repo';

/**
 * A media node started as its own process (the bundle operators run), on a fixed port,
 * so fault tests can kill it (SIGKILL, by pid) and start it again where the edge expects it. It
 * leads its own process group: its mediasoup workers go down with it.
 */
export class MediaNodeProcess {
  readonly client: MediaApiClient;
  #child: ChildProcess;

  private constructor(
    child: ChildProcess,
    /** Base URL of its HTTP API, and its secret (for the edge under test). */
    readonly url: string,
    readonly secret: string,
    readonly port: number,
    readonly env: Record<string, string>,
  ) {
    this.#child = child;
    this.client = new MediaApiClient(url, secret);
  }

  static async start(env: Record<string, string>, port = 4590): Promise<MediaNodeProcess> {
    const secret = env.MEDIA_NODE_SECRET ?? randomBytes(32).toString('hex');
    const url = `http://127.0.0.1:${port}`;
    const fullEnv = { MEDIA_NODE_LOG_LEVEL: 'warn', ...env, MEDIA_NODE_SECRET: secret };
    const child = await launch(fullEnv, port, url);
    return new MediaNodeProcess(child, url, secret, port, fullEnv);
  }

  /** The node's own pid (not a wrapper's). */
  get pid(): number {
    return this.#child.pid as number;
  }

  /** SIGKILL, as a crash or the OOM killer would: no drain, sessions gone. */
  async kill(): Promise<void> {
    const exited = this.#exited();
    process.kill(this.pid, 'SIGKILL');
    await exited;
    signalGroup(this.#child, 'SIGKILL');
  }

  /** Starts the node again on the same port, secret and settings (a container restart). */
  async restart(): Promise<void> {
    this.#child = await launch(this.env, this.port, this.url);
  }

  /** Stops at once (SIGINT: no drain), for teardown. */
  async stop(): Promise<void> {
    const exited = this.#exited();
    this.#child.kill('SIGINT');
    await exited;
    signalGroup(this.#child, 'SIGKILL');
  }

  /**
   * SIGTERM, as an orchestrator stopping the container does: the node drains (the edge moves its
   * parties elsewhere) and exits by itself. Resolves with its exit code.
   */
  async drain(): Promise<number | null> {
    const exited = this.#exited();
    this.#child.kill('SIGTERM');
    await exited;
    signalGroup(this.#child, 'SIGKILL');
    return this.#child.exitCode;
  }

  #exited(): Promise<unknown> {
    const child = this.#child;
    return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : once(child, 'exit');
  }
}

/** Bundled once per process: the file production runs (see media-node/bundle). */
let bundled: Promise<string> | undefined;

async function launch(env: Record<string, string>, port: number, url: string): Promise<ChildProcess> {
  bundled ??= bundleMediaNode();
  const child = spawn(process.execPath, [await bundled], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      MEDIASOUP_WORKER_BIN: resolveWorkerBinary(),
      ...env,
      MEDIA_NODE_PORT: String(port),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  const deadline = Date.now() + 30_000;
  while (!(await fetch(`${url}/health`).catch(() => undefined))?.ok) {
    if (Date.now() > deadline || child.exitCode !== null) {
      signalGroup(child, 'SIGKILL');
      throw new Error('media node did not start');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return child;
}
