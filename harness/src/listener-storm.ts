/**
 * Many listener sockets at once, as after an edge deploy when every listener reconnects together:
 * each opens the party socket and sends what the browser sends on every (re)open: `join` with its
 * receive path in the same exchange. And the media node's side of it: how many signed
 * API calls it served, from its `/metrics` request counter.
 */
import WebSocket from 'ws';

export interface StormResult {
  sockets: WebSocket[];
  /** From the first connect to the last socket rejoined (`joined` and its transport). */
  ms: number;
  /** Sockets that got `joined` (all of them, or the storm throws). */
  joined: number;
  /** Error answers the listeners got (and retried after), by code. */
  errors: Map<string, number>;
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
  const joinedOnes = settled.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const sockets = joinedOnes.map(({ ws }) => ws);
  const errors = new Map<string, number>();
  for (const code of joinedOnes.flatMap((one) => one.errors)) errors.set(code, (errors.get(code) ?? 0) + 1);
  const reasons = new Map<string, number>();
  for (const outcome of settled)
    if (outcome.status === 'rejected') {
      const reason = String((outcome.reason as Error).message ?? outcome.reason);
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
  if (reasons.size > 0) {
    // None left open to weigh on whatever runs next.
    for (const ws of sockets) ws.terminate();
    const why = [...reasons].map(([reason, times]) => `${times} × ${reason}`).join('; ');
    throw new Error(`${count - sockets.length} of ${count} listeners did not rejoin: ${why}`);
  }
  return { sockets, ms: performance.now() - startedAt, joined: sockets.length, errors };
}

/**
 * One listener as the browser behaves: `join` with its receive path in the same exchange; when the
 * answer has no transport (the media node was busy), `createRecvTransport` again with a growing
 * pause after each error answer. A close before it has rejoined fails it at once, with the code.
 */
function joinOne(
  wsUrl: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<{ ws: WebSocket; errors: string[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl, { headers, perMessageDeflate: false });
    const errors: string[] = [];
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (!error) return resolve({ ws, errors });
      ws.terminate();
      reject(error);
    };
    const timer = setTimeout(
      () => finish(new Error(`a listener did not join in time (errors: ${errors.join(', ') || 'none'})`)),
      timeoutMs,
    );
    let reqId = 0;
    let joinReqId = 0;
    let retries = 0;
    const join = () => {
      joinReqId = ++reqId;
      if (!settled) ws.send(JSON.stringify({ type: 'join', reqId: joinReqId, receive: {} }));
    };
    const askForTransport = () => {
      if (!settled) ws.send(JSON.stringify({ type: 'createRecvTransport', reqId: ++reqId }));
    };
    ws.once('error', (error) => finish(error));
    ws.once('close', (code, reason) =>
      finish(new Error(`a listener's socket closed before it rejoined: ${code} ${String(reason)}`)),
    );
    ws.once('open', join);
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as {
        type: string;
        reqId?: number;
        transport?: unknown;
        code?: string;
      };
      if (message.type === 'transportCreated' || (message.type === 'joined' && message.transport)) finish();
      else if (message.type === 'joined') askForTransport();
      else if (message.type === 'error') {
        errors.push(message.code ?? 'unknown');
        const again = message.reqId === joinReqId ? join : askForTransport;
        setTimeout(again, Math.min(5_000, 250 * 2 ** retries++));
      }
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
