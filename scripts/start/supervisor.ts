import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { signalGroup, stopGroups } from '@dmp-party/harness/process-group';

/**
 * Starts the local processes, prefixes their output, and stops them all together. Each child leads
 * its own process group, and stopping signals the whole group: wrangler's workerd, tsx's node and
 * any other grandchild go down with their parent instead of lingering on a port.
 */
export class Supervisor {
  readonly #children = new Map<string, ChildProcess>();
  /** One-off steps (builds, scans) still running. */
  readonly #steps = new Set<ChildProcess>();
  #stopping = false;

  constructor() {
    // Last resort if this process dies of an uncaught error: no group may outlive it.
    process.on('exit', () => {
      for (const child of this.#children.values()) signalGroup(child, 'SIGKILL');
    });
  }

  /** Starts a long-running service; if it exits while we are not stopping, everything stops. */
  start(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): ChildProcess {
    const child = this.#spawn(name, command, args, env, cwd);
    child.on('exit', (code, signal) => {
      this.#children.delete(name);
      if (!this.#stopping) {
        console.error(`[start] ${name} exited (${signal ?? code}); stopping everything`);
        void this.stopAll(1);
      }
    });
    this.#children.set(name, child);
    return child;
  }

  #spawn(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): ChildProcess {
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const prefix = (chunk: Buffer) =>
      chunk
        .toString()
        .split('\n')
        .filter(Boolean)
        .map((line) => `[${name}] ${line}\n`)
        .join('');
    child.stdout?.on('data', (chunk: Buffer) => process.stdout.write(prefix(chunk)));
    child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(prefix(chunk)));
    child.on('error', (error) => console.error(`[start] ${name} could not start: ${error.message}`));
    return child;
  }

  /** Runs a one-off step (a build, a scan) under the same supervision; resolves when it exits 0. */
  async run(
    name: string,
    command: string,
    args: string[],
    env: NodeJS.ProcessEnv,
    cwd?: string,
  ): Promise<void> {
    const child = this.#spawn(name, command, args, env, cwd);
    this.#steps.add(child);
    const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    this.#steps.delete(child);
    if (code !== 0 && !this.#stopping) throw new Error(`${name} failed (${signal ?? code})`);
  }

  /** SIGTERM to every child's process group, SIGKILL after 10 s, then exit. */
  async stopAll(exitCode = 0): Promise<never> {
    if (this.#stopping) return new Promise<never>(() => undefined);
    this.#stopping = true;
    await stopGroups([...this.#children.values(), ...this.#steps], 10_000);
    process.exit(exitCode);
  }
}

/** Polls `url` until it answers 2xx, or fails after `timeoutMs`. */
export async function waitForHealthy(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await fetch(url).catch(() => undefined))?.ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not become healthy within ${timeoutMs / 1000} s`);
}
