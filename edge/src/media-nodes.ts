/**
 * The media nodes a deployment uses: `MEDIA_NODE_URLS` (comma-separated, each optionally prefixed
 * with the two-letter continent it serves, `EU=https://…`), or `MEDIA_NODE_URL` as a list of one.
 * Every node shares `MEDIA_NODE_SECRET`. A node is named by its URL everywhere (storage included),
 * so reordering the list moves nothing.
 */
import { MediaApiClient } from '@dmp-party/protocol';
import pLimit from 'p-limit';

export interface MediaNodeEntry {
  url: string;
  /** Cloudflare's `request.cf.continent` code this node is near (e.g. EU, NA), if given. */
  continent: string | undefined;
}

/** A call to a node that has not answered by then counts as a node that is gone. */
export const MEDIA_CALL_TIMEOUT_MS = 2_500;

interface NodeListEnv {
  MEDIA_NODE_URL?: string;
  MEDIA_NODE_URLS?: string;
}

export function mediaNodeEntries(env: NodeListEnv): MediaNodeEntry[] {
  const list = (env.MEDIA_NODE_URLS ?? '').trim() || (env.MEDIA_NODE_URL ?? '');
  return list
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item) => {
      const tagged = /^([A-Z]{2})=(.+)$/.exec(item);
      return tagged
        ? { url: (tagged[2] as string).replace(/\/$/, ''), continent: tagged[1] }
        : { url: item.replace(/\/$/, ''), continent: undefined };
    });
}

/** What is wrong with the node list (for `configurationProblems`), or nothing. */
export function mediaNodeProblems(env: NodeListEnv): string[] {
  const entries = mediaNodeEntries(env);
  if (!(env.MEDIA_NODE_URLS ?? '').trim()) {
    const url = entries[0]?.url ?? '';
    return entries.length === 1 && /^https?:\/\/\S+$/.test(url)
      ? []
      : ['MEDIA_NODE_URL must be an http(s) URL'];
  }
  const name = 'MEDIA_NODE_URLS';
  if (entries.some((entry) => !/^https?:\/\/\S+$/.test(entry.url)))
    return [`${name} must be comma-separated http(s) URLs, each optionally prefixed with a continent (EU=…)`];
  if (new Set(entries.map((entry) => entry.url)).size !== entries.length)
    return [`${name} lists a media node twice`];
  return [];
}

/**
 * Calls one party object keeps in flight to one node. A reconnect storm asks for a transport per
 * listener at once: sent all together, the last ones waited behind the others on the node past
 * their timeout, were made anyway (orphans), and were asked for again. Queued here instead, each
 * call's timeout starts when it is sent. 32 in flight still move 800 calls/s at a 40 ms round trip.
 */
export const MEDIA_CALLS_IN_FLIGHT = 32;

/**
 * A signed client for one node, whose calls give up after `MEDIA_CALL_TIMEOUT_MS` once sent.
 * `send` is the fetch its calls go out through (tests count what is in flight on it).
 */
export function mediaNodeClient(url: string, secret: string, send: typeof fetch = fetch): MediaApiClient {
  const limit = pLimit(MEDIA_CALLS_IN_FLIGHT);
  return new MediaApiClient(url, secret, (target, init) =>
    limit(() => send(target, { ...init, signal: AbortSignal.timeout(MEDIA_CALL_TIMEOUT_MS) })),
  );
}
