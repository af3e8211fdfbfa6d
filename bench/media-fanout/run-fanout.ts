/**
 * Fan-out benchmark: one session, one 128 kbps Opus producer, and 100 / 1,000 / 3,000 consumers
 * on PlainTransports with SRTP sending to a separate counting process. Everything goes through the
 * media node's signed HTTP API and its own code paths (routers, pipeToRouter, WebRtcServer-less
 * plain transports). Reports worker CPU per consumer-second, loss, memory and consumers per core.
 */
import { readFileSync } from 'node:fs';
import { MediaNodeProcess } from '@dmp-party/harness/media-node-process';
import { addSrtpConsumer, startPlainProducer } from '@dmp-party/harness/rtp';
import type { SrtpCryptoSuite } from '@dmp-party/protocol';
import cliProgress from 'cli-progress';
import { SinkClient } from './sink-client';

export interface FanoutLevel {
  consumers: number;
  seconds: number;
  /** Worker CPU (user + system) per consumer per second of audio, in ms. */
  cpuMsPerConsumerSecond: number;
  /** Consumers one core could carry at that cost. */
  consumersPerCore: number;
  /** Share of all workers' CPU time used, summed (1.0 = one full core). */
  workerCores: number;
  lossPercent: number;
  received: number;
  expected: number;
  /** Worker RSS growth over the idle baseline, per consumer. */
  kbPerConsumer: number;
  workerRssMb: number;
  consumersPerWorker: number[];
  sinkCores: number;
  /** Whole-machine busy CPU (all processes, kernel and softirq included) during the window. */
  machineBusyCores: number;
}

export interface FanoutOptions {
  levels: number[];
  srtpCryptoSuite: SrtpCryptoSuite;
  seconds: number;
  workers: number;
}

const CONSUMERS_PER_SINK_SOCKET = 50;

/** Busy CPU time of the whole machine (ms), from the first line of /proc/stat. */
function machineCpuMs(): { busy: number } {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '')
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  const total = fields.slice(0, 8).reduce((sum, value) => sum + value, 0);
  return { busy: ((total - idle) * 1000) / 100 };
}

async function workerSnapshot(node: MediaNodeProcess) {
  const { workers } = await node.client.workers();
  return {
    cpuMs: workers.reduce((sum, worker) => sum + worker.cpuMs, 0),
    rssBytes: workers.reduce((sum, worker) => sum + worker.rssBytes, 0),
    consumers: workers.map((worker) => worker.consumers),
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs `task` for items 0..count-1 with bounded concurrency. */
async function inParallel(count: number, concurrency: number, task: (index: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

export async function runFanout(options: FanoutOptions): Promise<FanoutLevel[]> {
  const maxConsumers = Math.max(...options.levels);
  const sink = await SinkClient.start(Math.ceil(maxConsumers / CONSUMERS_PER_SINK_SOCKET));
  const node = await MediaNodeProcess.start({
    MEDIASOUP_WORKERS: String(options.workers),
    RTC_MIN_PORT: '30000',
    RTC_MAX_PORT: '39999',
  });
  const results: FanoutLevel[] = [];
  try {
    const { routerRtpCapabilities } = await node.client.createSession('bench-fanout');
    const producer = await startPlainProducer(node.client, 'bench-fanout');
    const baseline = await workerSnapshot(node);
    let created = 0;

    for (const level of [...options.levels].sort((a, b) => a - b)) {
      const bar = new cliProgress.SingleBar(
        { format: `consumers |{bar}| {value}/{total}`, noTTYOutput: true, notTTYSchedule: 5_000 },
        cliProgress.Presets.shades_classic,
      );
      // Consumers are created while the producer is silent: on 2 cores, signalling thousands of
      // consumers while the workers and the counting sink already fill the machine measures the
      // machine, not the SFU. Audio then flows for the warm-up and the measured window.
      producer.sender.stop();
      bar.start(level, created);
      await inParallel(level - created, 8, async (offset) => {
        const index = created + offset;
        const port = sink.ports[index % sink.ports.length] ?? 0;
        await withTimeout(
          addSrtpConsumer(
            node.client,
            'bench-fanout',
            producer.producerId,
            routerRtpCapabilities,
            port,
            `b${index}`,
            options.srtpCryptoSuite,
          ),
          30_000,
          `creating consumer ${index}`,
        );
        bar.increment();
      });
      bar.stop();
      created = level;

      producer.sender.start();
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      const start = await workerSnapshot(node);
      const machineStart = machineCpuMs();
      const sinkStart = await sink.reset();
      const startedAt = performance.now();
      await new Promise((resolve) => setTimeout(resolve, options.seconds * 1000));
      const end = await workerSnapshot(node);
      const machineEnd = machineCpuMs();
      const sinkEnd = await sink.totals();
      const elapsed = (performance.now() - startedAt) / 1000;

      const cpuMs = end.cpuMs - start.cpuMs;
      const cpuMsPerConsumerSecond = cpuMs / (level * elapsed);
      const result: FanoutLevel = {
        consumers: level,
        seconds: Math.round(elapsed * 10) / 10,
        cpuMsPerConsumerSecond,
        consumersPerCore: Math.round(1000 / cpuMsPerConsumerSecond),
        workerCores: cpuMs / (elapsed * 1000),
        lossPercent: sinkEnd.expected > 0 ? (100 * sinkEnd.lost) / sinkEnd.expected : 100,
        received: sinkEnd.received,
        expected: sinkEnd.expected,
        kbPerConsumer: (end.rssBytes - baseline.rssBytes) / 1024 / level,
        workerRssMb: end.rssBytes / 1024 / 1024,
        consumersPerWorker: end.consumers,
        sinkCores: (sinkEnd.cpuMs - sinkStart.cpuMs) / (elapsed * 1000),
        machineBusyCores: (machineEnd.busy - machineStart.busy) / (elapsed * 1000),
      };
      if (sinkEnd.streams !== level) {
        throw new Error(`expected ${level} streams at the sink, saw ${sinkEnd.streams}`);
      }
      results.push(result);
      console.error(
        `[fanout] ${level} consumers: ${cpuMsPerConsumerSecond.toFixed(3)} ms CPU/consumer-s, ` +
          `loss ${result.lossPercent.toFixed(3)}%, ${result.kbPerConsumer.toFixed(1)} KB/consumer, ` +
          `workers ${end.consumers.join('/')}`,
      );
    }
    producer.sender.close();
  } finally {
    await node.stop();
    await sink.stop();
  }
  return results;
}
