import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { resolveWorkerBinary } from '@dmp-party/media-node';
import { MediaApiClient } from '@dmp-party/protocol';
import { REPO_ROOT } from './repo';

/** A media node started as its own process (the same entry point operators run). */
export class MediaNodeProcess {
  readonly client: MediaApiClient;
  readonly #child: ChildProcess;

  private constructor(
    child: ChildProcess,
    client: MediaApiClient,
    /** Base URL of its HTTP API, and its secret (for the edge under test). */
    readonly url: string,
    readonly secret: string,
  ) {
    this.#child = child;
    this.client = client;
  }

  static async start(env: Record<string, string>, port = 4590): Promise<MediaNodeProcess> {
    const secret = randomBytes(32).toString('hex');
    const child = spawn('node_modules/.bin/tsx', ['media-node/src/main.ts'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        MEDIASOUP_WORKER_BIN: resolveWorkerBinary(),
        MEDIA_NODE_SECRET: secret,
        MEDIA_NODE_PORT: String(port),
        MEDIA_NODE_LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 30_000;
    while (!(await fetch(`${base}/health`).catch(() => undefined))?.ok) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error('media node did not start');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return new MediaNodeProcess(child, new MediaApiClient(base, secret), base, secret);
  }

  async stop(): Promise<void> {
    this.#child.kill('SIGTERM');
    await once(this.#child, 'exit');
  }
}
