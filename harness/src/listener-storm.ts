/**
 * Many listener sockets at once, as after an edge deploy when every listener reconnects together:
 * each opens the party socket and sends what the browser sends on every (re)open, `join` and
 * `createRecvTransport` in the same round trip. And the media node's side of it: how many signed
 * API calls it served, from its `/metrics` request counter.
 */
import WebSocket from 'ws';

export interface StormResult {
  sockets: WebSocket[];
  /** From the first connect to the last socket rejoined (`joined` and its transport). */
  ms: number;
  /** Sockets that got `joined` (all of them, or the storm throws). */
  joined: number;
}

/** A host socket (`token` in its URL) that has created the party the storm's listeners join. */
export async function hostParty(
  wsUrl: string,
  token: string,
  headers: Record<string, string>,
): Promise<WebSocket> {
  const host = new WebSocket(`${wsUrl}?token=${encodeURIComponent(token)}`, { headers });
  await new Promise((resolve, reject) => host.once('open', resolve).once('error', reject));
  const created = new Promise((resolve) =>
    host.on('message', (data) => String(data).includes('"type":"sessionCreated"') && resolve(undefined)),
  );
  host.send(JSON.stringify({ type: 'createSession', reqId: 1 }));
  await created;
  return host;
}

/** Opens `count` listener sockets on `wsUrl` at once; resolves when every one has rejoined. */
export async function listenerStorm(
  wsUrl: string,
  count: number,
  headers: Record<string, string>,
  timeoutMs = 60_000,
): Promise<StormResult> {
  const startedAt = performance.now();
  const settled = await Promise.allSettled(
    Array.from({ length: count }, () => joinOne(wsUrl, headers, timeoutMs)),
  );
  const sockets = settled.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const failed = settled.find((outcome) => outcome.status === 'rejected');
  if (failed) {
    // None left open to weigh on whatever runs next.
    for (const ws of sockets) ws.terminate();
    throw new Error(`${count - sockets.length} of ${count} listeners did not rejoin: ${failed.reason}`);
  }
  return { sockets, ms: performance.now() - startedAt, joined: sockets.length };
}

function joinOne(wsUrl: string, headers: Record<string, string>, timeoutMs: number): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl, { headers, perMessageDeflate: false });
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('a listener did not join in time'));
    }, timeoutMs);
    ws.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    ws.once('open', () => {
      ws.send(JSON.stringify({ type: 'createRecvTransport', reqId: 1 }));
      ws.send(JSON.stringify({ type: 'join', reqId: 2 }));
    });
    // Rejoined: the state (`joined`) and its own receive transport (`transportCreated`).
    const awaited = new Set(['"type":"joined"', '"type":"transportCreated"']);
    ws.on('message', (data) => {
      const text = String(data);
      for (const marker of awaited) if (text.includes(marker)) awaited.delete(marker);
      if (awaited.size > 0) return;
      clearTimeout(timer);
      resolve(ws);
    });
  });
}

/** Signed API calls the media node has served, by `METHOD route` (summed over statuses). */
export async function mediaNodeCalls(mediaUrl: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${mediaUrl}/metrics`)).text();
  const calls = new Map<string, number>();
  for (const match of text.matchAll(
    /^media_node_requests_total\{method="(\w+)",route="([^"]+)",status="\d+"\} (\d+)$/gm,
  )) {
    const key = `${match[1]} ${match[2]}`;
    calls.set(key, (calls.get(key) ?? 0) + Number(match[3]));
  }
  return calls;
}

/** Calls per `METHOD route` between two readings of `mediaNodeCalls`. */
export function callsBetween(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  return new Map([...after].map(([key, count]) => [key, count - (before.get(key) ?? 0)]));
}

/** The `METHOD route` of the edge's media check (`GET /v1/sessions/:id`). */
export const MEDIA_CHECK_CALL = 'GET /v1/sessions/:sessionId';
