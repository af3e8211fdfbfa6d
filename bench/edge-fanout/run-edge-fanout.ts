/**
 * nowPlaying fan-out delay through the edge: a host socket and N listener sockets (Node `ws`
 * clients) on the edge worker in local workerd (`wrangler dev`), the PartySession talking to a real
 * media node process. Each sample: the host sends `nowPlaying`, and the delay to each listener is
 * the time from the send to that listener's `state` frame (same process, same clock).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mintHostToken } from '@dmp-party/protocol';
import WebSocket from 'ws';
import { startEdgeUnderTest } from '../edge-under-test';

export interface EdgeFanoutLevel {
  listeners: number;
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Median time for the last listener of a sample to get it. */
  lastListenerP50Ms: number;
  /** Hostile listeners flooding meanwhile, and what became of them (see flooder.ts). */
  flooders: number;
  flooding?: { sent: number; policyCloses: number; refused: number; connects: number };
}

/** Frames a second each flooder sends: the "340,000 messages in 2 s". */
const FLOOD_FRAMES_PER_SECOND = 170_000;

/** Starts `count` flooders in their own process; `stop()` ends them and returns their totals. */
function startFlooders(wsUrl: string, count: number) {
  const script = new URL('./flooder.ts', import.meta.url).pathname;
  const args = [script, wsUrl, ORIGIN, String(count), String(FLOOD_FRAMES_PER_SECOND)];
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  return async () => {
    child.kill('SIGTERM');
    await once(child, 'exit');
    return JSON.parse(output.trim() || '{}') as NonNullable<EdgeFanoutLevel['flooding']>;
  };
}

export const ORIGIN = 'http://bench.local';

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** A benchmark client socket (the edge benchmarks' origin; no compression, no UTF-8 checks). */
export function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, {
      headers: { origin: ORIGIN },
      perMessageDeflate: false,
      skipUTF8Validation: true,
    });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

async function measureLevel(
  baseUrl: string,
  hostSecret: string,
  listeners: number,
  samples: number,
  flooders: number,
): Promise<EdgeFanoutLevel> {
  const sessionId = `bench-${listeners}-${randomBytes(4).toString('hex')}`;
  const wsUrl = `${baseUrl.replace(/^http/, 'ws')}/party/${sessionId}/ws`;
  const host = await open(`${wsUrl}?token=${encodeURIComponent(await mintHostToken(hostSecret, sessionId))}`);
  const hostReplies = new Map<number, (message: Record<string, unknown>) => void>();
  let hostCount = 0;
  host.on('message', (data) => {
    const message = JSON.parse(String(data)) as Record<string, unknown>;
    if (message.type === 'listenerCount') hostCount = Number(message.count);
    const resolve = hostReplies.get(Number(message.reqId));
    if (resolve) resolve(message);
  });
  let reqId = 0;
  const request = (message: Record<string, unknown>) =>
    new Promise<Record<string, unknown>>((resolve) => {
      reqId += 1;
      hostReplies.set(reqId, resolve);
      host.send(JSON.stringify({ ...message, reqId }));
    });
  const created = await request({ type: 'createSession' });
  if (created.type !== 'sessionCreated') throw new Error(`createSession failed: ${JSON.stringify(created)}`);

  // Listener sockets, opened in batches; each records when it sees each sample's trackId.
  const sockets: WebSocket[] = [];
  // Kept cheap on purpose: the 1,000 sockets share one client thread, whose per-frame work would
  // otherwise add to the delays measured. Only the current sample's track id is looked for.
  let current: { marker: Buffer; received: number[] } | undefined;
  const onState = (data: WebSocket.RawData) => {
    const at = performance.now();
    if (current && Buffer.isBuffer(data) && data.includes(current.marker)) current.received.push(at);
  };
  for (let i = 0; i < listeners; i += 50) {
    const batch = await Promise.all(Array.from({ length: Math.min(50, listeners - i) }, () => open(wsUrl)));
    for (const ws of batch) ws.on('message', onState);
    sockets.push(...batch);
  }
  console.error(`[bench]   ${sockets.length} listener sockets open`);
  while (hostCount !== listeners) await new Promise((resolve) => setTimeout(resolve, 50));
  console.error(`[bench]   the host counts ${hostCount} listeners`);
  const stopFlooders = flooders > 0 ? startFlooders(wsUrl, flooders) : undefined;
  // Let the flooders get going (and be closed, and come back) before measuring.
  if (stopFlooders) await new Promise((resolve) => setTimeout(resolve, 3_000));

  const delays: number[] = [];
  const lastDelays: number[] = [];
  for (let sample = 0; sample < samples + 3; sample++) {
    const trackId = `track-${sample}`;
    const received: number[] = [];
    current = { marker: Buffer.from(`"trackId":"${trackId}"`), received };
    const sentAt = performance.now();
    host.send(
      JSON.stringify({
        type: 'nowPlaying',
        reqId: 1e6 + sample,
        track: { trackId, title: 'T', artist: 'A' },
        positionMs: 0,
      }),
    );
    while (received.length < listeners) await new Promise((resolve) => setTimeout(resolve, 1));
    current = undefined;
    // The first samples warm up the isolate and JIT.
    if (sample >= 3) {
      for (const at of received) delays.push(at - sentAt);
      lastDelays.push(Math.max(...received) - sentAt);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  const flooding = await stopFlooders?.();
  await request({ type: 'endSession' });
  for (const ws of sockets) ws.terminate();
  host.terminate();
  delays.sort((a, b) => a - b);
  lastDelays.sort((a, b) => a - b);
  return {
    listeners,
    samples,
    p50Ms: percentile(delays, 50),
    p99Ms: percentile(delays, 99),
    maxMs: delays[delays.length - 1] ?? Number.NaN,
    lastListenerP50Ms: percentile(lastDelays, 50),
    flooders,
    ...(flooding ? { flooding } : {}),
  };
}

export async function runEdgeFanout({
  levels,
  samples,
  flooders = [0],
}: {
  levels: number[];
  samples: number;
  /** Runs each level once per entry, with that many flooding listeners. */
  flooders?: number[];
}) {
  const { edge, hostSecret, stop } = await startEdgeUnderTest(4591, {
    ALLOWED_ORIGINS: ORIGIN,
    LISTENER_CAP: '100000',
    // The production default: the host sends one message per sample (under 20 a second), the
    // listeners none, and flooders meet the limit a real deployment has.
    RATE_LIMIT_PER_SECOND: '20',
  });
  try {
    const results: EdgeFanoutLevel[] = [];
    for (const listeners of levels)
      for (const flooding of flooders) {
        console.error(`[bench] edge fan-out: ${listeners} listeners, ${flooding} flooders`);
        results.push(await measureLevel(edge.url, hostSecret, listeners, samples, flooding));
      }
    return results;
  } finally {
    await stop();
  }
}
