/**
 * Reaction fan-out through the edge (issue 14): N listener sockets (Node `ws` clients) on the edge
 * under `wrangler dev`, R of them reacting once a second each (spread over the second). Measured:
 * - reaction to frame: from a reactor's send to the first `reactions` frame it gets after the
 *   edge's `ok` (frames go out in order, so that frame includes the reaction), same clock;
 * - fan-out delay: from the edge accepting a frame's first reaction (`firstAt`, edge clock on the
 *   same machine) to each listener receiving the frame;
 * - `reactions` frames each listener gets a second (the edge coalesces to one per party per window).
 */
import { randomBytes } from 'node:crypto';
import { mintHostToken } from '@dmp-party/protocol';
import type WebSocket from 'ws';
import { ORIGIN, open, percentile } from '../edge-fanout/run-edge-fanout';
import { startEdgeUnderTest } from '../edge-under-test';
import { type Summary, summarize } from '../stats';

const MARKER = Buffer.from('"type":"reactions"');

export interface ReactionsResult {
  listeners: number;
  reactors: number;
  seconds: number;
  reactionsSent: number;
  reactionToFrameMs: Summary & { p99: number };
  fanoutMs: Summary & { p99: number };
  framesPerListenerPerSecond: number;
}

const p99 = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    99,
  );

async function hostParty(wsUrl: string, hostSecret: string, sessionId: string): Promise<WebSocket> {
  const host = await open(`${wsUrl}?token=${encodeURIComponent(await mintHostToken(hostSecret, sessionId))}`);
  const reply = (reqId: number) =>
    new Promise<void>((resolve) =>
      host.on('message', (data) => String(data).includes(`"reqId":${reqId}`) && resolve()),
    );
  const created = reply(1);
  host.send(JSON.stringify({ type: 'createSession', reqId: 1 }));
  await created;
  const playing = reply(2);
  host.send(
    JSON.stringify({ type: 'nowPlaying', reqId: 2, track: { trackId: 'bench', title: 'B', artist: 'A' } }),
  );
  await playing;
  return host;
}

export async function runReactionsBench({
  listeners,
  reactors,
  seconds,
}: {
  listeners: number;
  reactors: number;
  seconds: number;
}): Promise<ReactionsResult> {
  const { edge, hostSecret, stop } = await startEdgeUnderTest(4593, {
    ALLOWED_ORIGINS: ORIGIN,
    LISTENER_CAP: '100000',
    RATE_LIMIT_PER_SECOND: '20',
  });
  try {
    const sessionId = `react-${randomBytes(4).toString('hex')}`;
    const wsUrl = `${edge.url.replace(/^http/, 'ws')}/party/${sessionId}/ws`;
    const host = await hostParty(wsUrl, hostSecret, sessionId);
    let measuring = false;
    let frames = 0;
    const fanout: number[] = [];
    const sockets: WebSocket[] = [];
    for (let i = 0; i < listeners; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, listeners - i) }, (_, j) =>
          open(`${wsUrl}?listener=bench-listener-${i + j}`),
        ),
      );
      sockets.push(...batch);
    }
    console.error(`[bench]   ${sockets.length} listener sockets open`);
    for (const ws of sockets)
      ws.on('message', (data: Buffer) => {
        if (!measuring || !data.includes(MARKER)) return;
        const at = Date.now();
        frames += 1;
        const firstAt = /"firstAt":(\d+)/.exec(data.toString())?.[1];
        if (firstAt) fanout.push(at - Number(firstAt));
      });

    // Each reactor: send, wait for `ok`, then the next reactions frame on its socket is its own.
    const reactionToFrame: number[] = [];
    let sent = 0;
    const reactorSockets = sockets.slice(0, reactors);
    const pending = new Map<WebSocket, { sentAt: number; acked: boolean }>();
    for (const ws of reactorSockets)
      ws.on('message', (data: Buffer) => {
        const state = pending.get(ws);
        if (!state) return;
        if (!state.acked && data.includes('"type":"ok"')) state.acked = true;
        else if (state.acked && data.includes(MARKER)) {
          if (measuring) reactionToFrame.push(performance.now() - state.sentAt);
          pending.delete(ws);
        }
      });
    const timers = reactorSockets.map((ws, index) =>
      setTimeout(
        () => {
          const react = () => {
            pending.set(ws, { sentAt: performance.now(), acked: false });
            ws.send(JSON.stringify({ type: 'react', reqId: ++sent, emoji: '🔥' }));
          };
          react();
          timers.push(setInterval(react, 1000) as unknown as NodeJS.Timeout);
        },
        (index * 1000) / reactors,
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const sentBefore = sent;
    measuring = true;
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    measuring = false;
    const reactionsSent = sent - sentBefore;
    for (const timer of timers) clearTimeout(timer);
    host.send(JSON.stringify({ type: 'endSession', reqId: 3 }));
    for (const ws of sockets) ws.terminate();
    host.terminate();
    return {
      listeners,
      reactors,
      seconds,
      reactionsSent,
      reactionToFrameMs: { ...summarize(reactionToFrame), p99: p99(reactionToFrame) },
      fanoutMs: { ...summarize(fanout), p99: p99(fanout) },
      framesPerListenerPerSecond: frames / listeners / seconds,
    };
  } finally {
    await stop();
  }
}
