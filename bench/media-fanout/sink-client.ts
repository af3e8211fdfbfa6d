import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface SinkReport {
  streams: number;
  received: number;
  expected: number;
  lost: number;
  bytes: number;
  cpuMs: number;
}

const source = fileURLToPath(new URL('./rtp-sink.c', import.meta.url));
const binary = fileURLToPath(new URL('../../.tmp/bench/rtp-sink', import.meta.url));

/** Compiles the C sink when missing or older than its source (gcc is a worker-build dependency). */
function ensureSinkBinary(): string {
  if (!existsSync(binary) || statSync(binary).mtimeMs < statSync(source).mtimeMs) {
    mkdirSync(fileURLToPath(new URL('../../.tmp/bench', import.meta.url)), { recursive: true });
    execFileSync('cc', ['-O2', '-Wall', '-o', binary, source], { stdio: 'inherit' });
  }
  return binary;
}

/** Controls the sink process over its stdin/stdout line protocol. */
export class SinkClient {
  readonly #child: ChildProcess;
  readonly #lines: Interface;
  ports: number[] = [];

  private constructor(child: ChildProcess) {
    this.#child = child;
    if (!child.stdout) throw new Error('sink has no stdout');
    this.#lines = createInterface({ input: child.stdout });
  }

  static async start(socketCount: number): Promise<SinkClient> {
    const child = spawn(ensureSinkBinary(), [String(socketCount)], { stdio: ['pipe', 'pipe', 'inherit'] });
    const client = new SinkClient(child);
    const [first] = (await once(client.#lines, 'line')) as [string];
    client.ports = first.split(' ').slice(1).map(Number);
    return client;
  }

  async #ask(command: 'reset' | 'totals'): Promise<SinkReport> {
    const reply = once(this.#lines, 'line') as Promise<[string]>;
    this.#child.stdin?.write(`${command}\n`);
    return JSON.parse((await reply)[0]) as SinkReport;
  }

  reset(): Promise<SinkReport> {
    return this.#ask('reset');
  }

  totals(): Promise<SinkReport> {
    return this.#ask('totals');
  }

  async stop(): Promise<void> {
    this.#child.stdin?.write('exit\n');
    if (this.#child.exitCode === null) await once(this.#child, 'exit');
  }
}
