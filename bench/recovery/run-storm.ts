/**
 * A reconnect storm as after an edge deploy: N listener sockets joined to a live party, the edge
 * restarted (every socket drops, the party's object starts cold), then all N back at once, each
 * sending what the browser sends. Measured: how long until every one has rejoined, and what it
 * cost the media node (its own request counter, by route).
 */
import { randomBytes } from 'node:crypto';
import {
  callsBetween,
  hostParty,
  listenerStorm,
  MEDIA_CHECK_CALL,
  mediaNodeCalls,
} from '@dmp-party/harness/listener-storm';
import { mintHostToken } from '@dmp-party/protocol';
import { startEdgeUnderTest } from '../edge-under-test';

const ORIGIN = 'http://bench.local';

export interface StormRun {
  listeners: number;
  /** From the first reconnect (edge back up) to the last `joined`. */
  rejoinMs: number;
  /** From the edge going down to the last `joined` (includes the edge's own restart). */
  totalMs: number;
  /** The edge's state checks on the media node during the storm. */
  stateChecks: number;
  /** Every signed call the media node served during the storm. */
  mediaCalls: number;
  /** Receive transports left on the media node by the sockets the restart dropped. */
  orphanedTransports: number;
  /** Error answers the storm's listeners got and retried after, by code. */
  errors: Record<string, number>;
}

/** The runs that completed, and why the others did not (a run that fails is reported, not hidden). */
export interface StormResults {
  runs: StormRun[];
  failures: string[];
}

type EdgeUnderTest = Awaited<ReturnType<typeof startEdgeUnderTest>>;

export async function runStorm({
  listeners,
  runs,
}: {
  listeners: number;
  runs: number;
}): Promise<StormResults> {
  const edgeUnderTest = await startEdgeUnderTest(4592, {
    ALLOWED_ORIGINS: ORIGIN,
    LISTENER_CAP: String(listeners * 4),
  });
  try {
    const results: StormResults = { runs: [], failures: [] };
    for (let run = 0; run < runs; run++) {
      console.error(`[bench] recovery: ${listeners}-socket reconnect storm, run ${run + 1}/${runs}`);
      try {
        results.runs.push(await stormRun(listeners, edgeUnderTest));
      } catch (error) {
        results.failures.push((error as Error).message);
      }
    }
    return results;
  } finally {
    await edgeUnderTest.stop();
  }
}

async function stormRun(listeners: number, { media, edge, hostSecret }: EdgeUnderTest): Promise<StormRun> {
  const sessionId = `storm-${randomBytes(4).toString('hex')}`;
  const wsUrl = `${edge.url.replace(/^http/, 'ws')}/party/${sessionId}/ws`;
  const host = await hostParty(wsUrl, await mintHostToken(hostSecret, sessionId), { origin: ORIGIN });
  const sockets = [host];
  try {
    const first = await listenerStorm(wsUrl, listeners, { origin: ORIGIN }, 300_000);
    sockets.push(...first.sockets);
    const downAt = performance.now();
    await edge.restart();
    const before = await mediaNodeCalls(media.url);
    const storm = await listenerStorm(wsUrl, listeners, { origin: ORIGIN }, 300_000);
    sockets.push(...storm.sockets);
    const calls = callsBetween(before, await mediaNodeCalls(media.url));
    const stats = await media.client.sessionStats(sessionId);
    return {
      listeners,
      rejoinMs: storm.ms,
      totalMs: performance.now() - downAt,
      stateChecks: calls.get(MEDIA_CHECK_CALL) ?? 0,
      mediaCalls: [...calls.values()].reduce((sum, count) => sum + count, 0),
      orphanedTransports: stats.transports - listeners,
      errors: Object.fromEntries(storm.errors),
    };
  } finally {
    for (const ws of sockets) ws.terminate();
    await media.client.closeSession(sessionId).catch(() => undefined);
  }
}
