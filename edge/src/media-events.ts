/**
 * `POST /api/party/media-events`: the media node tells the edge that a session's media was rebuilt
 * (a worker died) or that the node (re)started and lost every session. Signed by the node with
 * `MEDIA_NODE_SECRET` (the `/v1` scheme in the other direction); each event goes to the party's
 * Durable Object (a node start to the live party the directory knows), which checks its media on
 * the node at once instead of at its next periodic check.
 *
 * No nonce memory here: an event carries no authority of its own (the object re-reads the truth
 * from the node through the signed `/v1` API), so a replay inside the 30 s window costs one check.
 */
import {
  errorBody,
  importSigningKey,
  MEDIA_EVENTS_MAX_BODY_BYTES,
  MEDIA_EVENTS_PATH,
  MediaEventsRequestSchema,
  type MediaNodeEvent,
  MIN_SECRET_LENGTH,
  verifySignedRequest,
} from '@dmp-party/protocol';
import { Hono } from 'hono';
import type { Env } from './env';
import { DIRECTORY_NAME } from './party-directory';

export const mediaEvents = new Hono<{ Bindings: Env }>();

mediaEvents.post(MEDIA_EVENTS_PATH, async (c) => {
  const secret = c.env.MEDIA_NODE_SECRET ?? '';
  if (secret.length < MIN_SECRET_LENGTH)
    return c.json(errorBody('NOT_CONFIGURED', 'edge not configured: MEDIA_NODE_SECRET'), 503);
  if (Number(c.req.header('content-length') ?? 0) > MEDIA_EVENTS_MAX_BODY_BYTES)
    return c.json(errorBody('PAYLOAD_TOO_LARGE', 'events body too large'), 413);
  const body = await c.req.text();
  const url = new URL(c.req.url);
  const verified = await verifySignedRequest(await importSigningKey(secret), {
    method: 'POST',
    path: url.pathname + url.search,
    body,
    header: (name) => c.req.header(name),
  });
  if (!verified) return c.json(errorBody('UNAUTHORIZED', 'unauthorized'), 401);
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return c.json(errorBody('INVALID_JSON', 'body is not JSON'), 400);
  }
  const request = MediaEventsRequestSchema.safeParse(json);
  if (!request.success) return c.json(errorBody('VALIDATION_FAILED', 'not a media events body'), 400);

  const outcomes = await Promise.allSettled(request.data.events.map((event) => deliver(c.env, event)));
  // A party that could not check now is worth a retry from the node (its check is idempotent).
  if (outcomes.some((outcome) => outcome.status === 'rejected'))
    return c.json(errorBody('MEDIA_NODE_UNAVAILABLE', 'a party could not check its media'), 503);
  const delivered = outcomes.filter((outcome) => outcome.status === 'fulfilled' && outcome.value).length;
  return c.json({ delivered });
});

/** Hands one event to its party; false when no live party is concerned. */
async function deliver(env: Env, event: MediaNodeEvent): Promise<boolean> {
  const sessionId =
    event.type === 'sessionRebuilt'
      ? event.sessionId
      : await env.PARTY_DIRECTORY.getByName(DIRECTORY_NAME).live();
  if (!sessionId) return false;
  return env.PARTY_SESSION.getByName(sessionId).checkMediaNow();
}
