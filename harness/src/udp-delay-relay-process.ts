/**
 * The delay relay in a process of its own, at a raised scheduling priority: it models the network,
 * so it should neither share an event loop with the test driving browsers nor be starved by the
 * machine's load (its timers' lateness is the relay's own jitter, reported at the end). Run as a
 * script, this file is that process: options as JSON in argv, `ready` on stdout, the lateness
 * summary on stdout after SIGTERM.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isRoot } from './debian';
import { REPO_ROOT } from './repo';
import { startUdpDelayRelay, type UdpDelayRelayOptions } from './udp-delay-relay';

/** How late the relay's timers sent packets beyond the set delay, in ms. */
export interface RelayLateness {
  packets: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface UdpDelayRelayProcess {
  /** Stops the relay and reports its timers' lateness. */
  stop(): Promise<RelayLateness>;
}

/**
 * As root, a real-time (SCHED_FIFO) priority: measured here under a load average of 8 on 2 cores,
 * a 10 ms timer fired p99 0.3 ms late with it and 3-4 ms late at nice 0 or -10. The relay's work is
 * a few hundred packets a second, so it takes nothing from the machine's other work.
 */
const PRIORITY = isRoot() ? ['chrt', '--fifo', '10'] : ['nice', '-n', '0'];

function summarizeLateness(values: number[]): RelayLateness {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
  return { packets: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted.at(-1) ?? 0 };
}

export async function startUdpDelayRelayProcess(
  options: UdpDelayRelayOptions,
): Promise<UdpDelayRelayProcess> {
  const script = fileURLToPath(import.meta.url);
  const [command, ...args] = PRIORITY as [string, ...string[]];
  const child: ChildProcess = spawn(
    command,
    [...args, 'node_modules/.bin/tsx', script, JSON.stringify(options)],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const next = () =>
    new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      child.once('exit', (code) => reject(new Error(`the delay relay exited (${code})`)));
    });
  const ready = await next();
  if (ready !== 'ready') throw new Error(`the delay relay did not start: ${ready}`);
  let stopping: Promise<RelayLateness> | undefined;
  return {
    stop() {
      stopping ??= (async () => {
        const report = next();
        child.kill('SIGTERM');
        const lateness = JSON.parse(await report) as RelayLateness;
        if (child.exitCode === null) await once(child, 'exit');
        return lateness;
      })();
      return stopping;
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const relay = await startUdpDelayRelay(JSON.parse(process.argv[2] ?? '{}') as UdpDelayRelayOptions);
  console.log('ready');
  process.once('SIGTERM', async () => {
    const lateness = summarizeLateness(relay.lateness);
    await relay.close();
    console.log(JSON.stringify(lateness));
    process.exit(0);
  });
}
