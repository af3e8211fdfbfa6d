/**
 * One media node container started by a test or benchmark, and everything done to it by its id
 * (never by name, so other runs' containers on this machine are safe). Secrets reach the
 * container through podman's environment (`-e NAME` without a value), never its command line.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { MACHINE_RUN_FLAGS, podman } from './podman';

const execFileAsync = promisify(execFile);

/** How the container's health check answered: podman runs the image's own HEALTHCHECK command. */
export type HealthStatus = 'healthy' | 'unhealthy' | 'starting';

export interface StopOutcome {
  /** Wall time of `podman stop` (SIGTERM, then SIGKILL after the timeout). */
  elapsedMs: number;
  /** The main process's exit code: 0 when it drained by itself, 137 when it had to be killed. */
  exitCode: number;
}

export class MediaContainer {
  private constructor(readonly id: string) {}

  /**
   * `podman run <machine flags> <runArgs>`; `runArgs` are what one would give `docker run` (they
   * should include `-d`). `env` is podman's environment, for `-e NAME` pass-through.
   */
  static run(runArgs: readonly string[], env: Record<string, string> = {}): MediaContainer {
    const output = podman(['run', ...MACHINE_RUN_FLAGS, ...runArgs], { env: { ...process.env, ...env } });
    const id = output.split('\n').at(-1)?.trim() ?? '';
    if (!/^[0-9a-f]{64}$/.test(id)) throw new Error(`podman run printed no container id: ${output}`);
    return new MediaContainer(id);
  }

  /** A field of `podman inspect`, by Go template. */
  inspect(template: string): string {
    return podman(['inspect', '--format', template, this.id]);
  }

  /** Runs the image's HEALTHCHECK once (podman schedules none without systemd) and reads the status. */
  checkHealth(): HealthStatus {
    spawnSync('podman', ['healthcheck', 'run', this.id], { stdio: 'ignore' });
    return this.inspect('{{.State.Health.Status}}') as HealthStatus;
  }

  /** Runs the health check until it passes; returns the milliseconds that took. */
  async untilHealthy(timeoutMs = 60_000): Promise<number> {
    const started = performance.now();
    while (this.checkHealth() !== 'healthy') {
      if (this.inspect('{{.State.Running}}') !== 'true')
        throw new Error(`the media node container exited:\n${this.logs()}`);
      if (performance.now() - started > timeoutMs)
        throw new Error(`the media node container was not healthy within ${timeoutMs} ms:\n${this.logs()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return performance.now() - started;
  }

  /**
   * `podman restart`: SIGTERM (SIGKILL after `timeoutSeconds`), then the same container starts
   * again. Asynchronous, so a caller can watch the party while it happens.
   */
  async restart(timeoutSeconds = 10): Promise<void> {
    await execFileAsync('podman', ['restart', '--time', String(timeoutSeconds), this.id]);
  }

  /** `podman stop`: SIGTERM, then SIGKILL if still running after `timeoutSeconds`. */
  async stop(timeoutSeconds = 10): Promise<StopOutcome> {
    const started = performance.now();
    await execFileAsync('podman', ['stop', '--time', String(timeoutSeconds), this.id]);
    const elapsedMs = performance.now() - started;
    return { elapsedMs, exitCode: Number(this.inspect('{{.State.ExitCode}}')) };
  }

  /** The container's main process as the host sees it (0 when not running). */
  hostPid(): number {
    return Number(this.inspect('{{.State.Pid}}'));
  }

  logs(): string {
    const result = spawnSync('podman', ['logs', this.id], { encoding: 'utf8' });
    return `${result.stdout}${result.stderr}`;
  }

  /** Stops and deletes the container at once; safe to call twice. */
  remove(): void {
    spawnSync('podman', ['rm', '--force', '--time', '0', this.id], { stdio: 'ignore' });
  }
}
