/**
 * The party's media check, across its nodes. Each node is asked for the session (`GET
 * /v1/sessions/:id`) and judged:
 * - the origin (the host's producer) rebuilt or forgot the session: the whole media path resets
 *   there (the host produces again, listeners consume again);
 * - the origin gone (no answer) or draining: the party moves to another node and resets;
 * - another node rebuilt, forgot, gone or draining: only its listeners move (to another node when
 *   it is gone or draining), and consume the same producer again there.
 * A draining node's session is closed once nothing of the party is left on it, so it can exit.
 */
import { MediaApiError } from '@dmp-party/protocol';
import type { MediaLink } from './media-link';
import { toMediaError } from './media-link';
import { closePipe } from './node-relays';

type Verdict = 'ok' | 'rebuilt' | 'lost' | 'gone' | 'draining';

/** What a node says of the session, against the generation the party expects there. */
async function judge(link: MediaLink, url: string, generation: number): Promise<Verdict> {
  try {
    const stats = await link.client(url).sessionStats(link.sessionId);
    if (stats.draining) return 'draining';
    return stats.needsRebuild || stats.generation !== generation ? 'rebuilt' : 'ok';
  } catch (error) {
    if (!(error instanceof MediaApiError)) return 'gone';
    if (error.code === 'SESSION_NOT_FOUND') return 'lost';
    throw toMediaError(error);
  }
}

const leaves = (verdict: Verdict) => verdict === 'gone' || verdict === 'draining';

export async function checkMedia(link: MediaLink): Promise<void> {
  const session = link.store.live();
  const originUrl = link.originUrl;
  const relayUrls = Object.keys(session.relays);
  const [originVerdict, ...relayVerdicts] = await Promise.all([
    judge(link, originUrl, session.generation),
    ...relayUrls.map((url) => judge(link, url, session.relays[url]?.generation ?? -1)),
  ]);
  const leaving = new Set<string>();
  for (const [i, url] of relayUrls.entries()) if (leaves(relayVerdicts[i] as Verdict)) leaving.add(url);
  if (leaves(originVerdict as Verdict)) leaving.add(originUrl);
  for (const url of leaving) link.placement.markUnusable(url);

  if (originVerdict === 'rebuilt') {
    await resetAll(link, 'media-rebuilt', session.generation + 1, leaving);
  } else if (originVerdict === 'lost') {
    const created = await link
      .client(originUrl)
      .createSession(link.sessionId)
      .catch((error: unknown) => {
        throw toMediaError(error);
      });
    session.routerRtpCapabilities = created.routerRtpCapabilities;
    await resetAll(link, 'media-session-lost', created.generation, leaving);
  } else if (originVerdict !== 'ok') {
    const moved = await link.createOrigin(leaving);
    if (originVerdict === 'draining') await link.origin.closeSession(link.sessionId).catch(() => undefined);
    session.originNode = moved.url;
    session.routerRtpCapabilities = moved.routerRtpCapabilities;
    await resetAll(link, 'media-node-moved', moved.generation, leaving);
  } else {
    for (const [i, url] of relayUrls.entries())
      if (relayVerdicts[i] !== 'ok') await moveListeners(link, url, relayVerdicts[i] as Verdict);
  }
}

/**
 * Every media id is gone: forget them, close the party's sessions on the other nodes, and tell
 * the host to produce and listeners to consume again. Listeners on a node that is leaving are
 * placed anew when they ask for a transport.
 */
async function resetAll(
  link: MediaLink,
  reason: string,
  generation: number,
  leaving: ReadonlySet<string>,
): Promise<void> {
  const session = link.store.live();
  const ack = await link.origin.acknowledgeRebuild(link.sessionId).catch(() => undefined);
  const relays = Object.keys(session.relays);
  session.generation = ack?.generation ?? generation;
  session.producerId = null;
  session.hostTransportIds = [];
  session.relays = {};
  await link.store.save();
  // Best effort: a gone node refuses at once or times out; a draining one may then exit.
  await Promise.all(
    relays.map((url) =>
      link
        .client(url)
        .closeSession(link.sessionId)
        .catch(() => undefined),
    ),
  );
  for (const ws of link.hub.all())
    link.hub.updateAttachment(ws, ({ node, ...current }) => ({
      ...current,
      ...(node && !leaving.has(node) ? { node } : {}),
      transportIds: [],
      consumerIds: [],
    }));
  link.hub.broadcast(undefined, { type: 'mediaReset', reason });
}

/** One non-origin node lost the party's media: its listeners consume the producer again. */
async function moveListeners(link: MediaLink, url: string, verdict: Verdict): Promise<void> {
  const session = link.store.live();
  const relay = session.relays[url];
  delete session.relays[url];
  await link.store.save();
  if (relay) await closePipe(link.sessionId, link.origin, link.client(url), relay);
  // A node that is still there (rebuilt, draining) drops what is left of the party.
  if (verdict !== 'gone')
    await link
      .client(url)
      .closeSession(link.sessionId)
      .catch(() => undefined);
  const producerId = session.producerId;
  for (const ws of link.hub.all('listener')) {
    if (link.hub.attachmentOf(ws)?.node !== url) continue;
    link.hub.updateAttachment(ws, ({ node: _node, ...rest }) => ({
      ...rest,
      ...(leaves(verdict) ? {} : { node: url }),
      transportIds: [],
      consumerIds: [],
    }));
    link.hub.send(ws, { type: 'mediaReset', reason: `media-node-${verdict}` });
    if (producerId) link.hub.send(ws, { type: 'producerAvailable', producerId });
  }
}
