import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { signalGroup, stopGroups } from '@dmp-party/harness/process-group';
import { RestartPolicy } from './restart-policy';

interface Service {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string | undefined;
  policy: RestartPolicy;
  child: ChildProcess | undefined;
  restart: ReturnType<typeof setTimeout> | undefined;
}

/**
 * Starts the local processes, prefixes their output, restarts a service that crashes (with backoff,
 * `RestartPolicy`), and stops them all together. Each child leads its own process group, and
 * stopping or restarting signals the whole group: wrangler's workerd, the media node's mediasoup
 * workers and any other grandchild go down with their parent instead of lingering on a port.
 */
export class Supervisor {
  readonly #services = new Map<string, Service>();
  /** One-off steps (builds, scans) still running. */
  readonly #steps = new Set<ChildProcess>();
  #stopping = false;

  constructor() {
    // Last resort if this process dies of an uncaught error: no group may outlive it.
    process.on('exit', () => {
      for (const child of this.#children()) signalGroup(child, 'SIGKILL');
    });
  }

  /** Starts a long-running service; if it exits while we are not stopping, it is started again. */
  start(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): void {
    const service: Service = {
      name,
      command,
      args,
      env,
      cwd,
      policy: new RestartPolicy(),
      child: undefined,
      restart: undefined,
    };
    this.#services.set(name, service);
    this.#launch(service);
  }

  #launch(service: Service): void {
    const startedAt = Date.now();
    const child = this.#spawn(service.name, service.command, service.args, service.env, service.cwd);
    service.child = child;
    child.on('exit', (code, signal) => {
      service.child = undefined;
      if (this.#stopping) return;
      // Whatever the service left behind (workerd under wrangler, mediasoup workers) goes too.
      signalGroup(child, 'SIGKILL');
      const delay = service.policy.next(Date.now() - startedAt);
      if (delay === null) {
        console.error(`[start] ${service.name} keeps exiting (${signal ?? code}); stopping everything`);
        void this.stopAll(1);
        return;
      }
      console.error(`[start] ${service.name} exited (${signal ?? code}); restarting in ${delay / 1000} s`);
      service.restart = setTimeout(() => {
        service.restart = undefined;
        if (!this.#stopping) this.#launch(service);
      }, delay);
    });
  }

  #children(): ChildProcess[] {
    return [...this.#services.values()].flatMap((service) => (service.child ? [service.child] : []));
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
    for (const service of this.#services.values()) clearTimeout(service.restart);
    await stopGroups([...this.#children(), ...this.#steps], 10_000);
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
