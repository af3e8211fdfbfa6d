import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

/** Starts the local processes, prefixes their output, and stops them all together. */
export class Supervisor {
  readonly #children = new Map<string, ChildProcess>();
  #stopping = false;

  start(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const prefix = (chunk: Buffer) =>
      chunk
        .toString()
        .split('\n')
        .filter(Boolean)
        .map((line) => `[${name}] ${line}\n`)
        .join('');
    child.stdout?.on('data', (chunk: Buffer) => process.stdout.write(prefix(chunk)));
    child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(prefix(chunk)));
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

  /** SIGTERM to every child, SIGKILL after 10 s, then exit. */
  async stopAll(exitCode = 0): Promise<never> {
    this.#stopping = true;
    const running = [...this.#children.values()].filter((child) => child.exitCode === null);
    for (const child of running) child.kill('SIGTERM');
    const killer = setTimeout(() => {
      for (const child of running) child.kill('SIGKILL');
    }, 10_000);
    await Promise.all(running.map((child) => (child.exitCode === null ? once(child, 'exit') : undefined)));
    clearTimeout(killer);
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
