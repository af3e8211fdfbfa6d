/**
 * A reconnect storm under `wrangler dev`: after an edge restart (every socket dropped, the party's
 * object cold, as after a deploy), 500 listener sockets come back at the same moment and each
 * sends what the browser sends. Every one must rejoin, and the media node, counting its own
 * requests, must have served only a handful of state checks: joins share them.
 */
import { randomBytes } from 'node:crypto';
import * as storm from '@dmp-party/harness/listener-storm';
import { type MediaNodeServer, startMediaNodeServer } from '@dmp-party/harness/media-node';
import { WranglerDev } from '@dmp-party/harness/wrangler-dev';
import { mintHostToken } from '@dmp-party/protocol';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const ORIGIN = 'http://storm.local';
const HOST_SECRET = randomBytes(32).toString('hex');
const LISTENERS = 500;
/** The edge's JOIN_CHECK_MAX_AGE_MS: joins trust a state check this recent. */
const JOIN_CHECK_MAX_AGE_MS = 5_000;

let media: MediaNodeServer;
let edge: WranglerDev;

beforeAll(async () => {
  media = await startMediaNodeServer({ workerBinary: inject('workerBinary'), portOwner: 'edgeE2e' });
  edge = await WranglerDev.start({
    PARTY_HOST_SECRET: HOST_SECRET,
    MEDIA_NODE_SECRET: media.secret,
    MEDIA_NODE_URL: media.url,
    ALLOWED_ORIGINS: ORIGIN,
    LISTENER_CAP: String(LISTENERS * 2),
  });
});

afterAll(async () => {
  await edge?.stop();
  await media?.stop();
});

describe('a reconnect storm', () => {
  it(`${LISTENERS} listeners back at once all rejoin, for a bounded number of media node state checks`, async () => {
    const sessionId = `storm-${randomBytes(4).toString('hex')}`;
    const wsUrl = `${edge.url.replace(/^http/, 'ws')}/party/${sessionId}/ws`;
    const host = await storm.hostParty(wsUrl, await mintHostToken(HOST_SECRET, sessionId), {
      origin: ORIGIN,
    });

    await edge.restart();
    const before = await storm.mediaNodeCalls(media.url);
    const back = await storm.listenerStorm(wsUrl, LISTENERS, { origin: ORIGIN }, 120_000);
    const calls = storm.callsBetween(before, await storm.mediaNodeCalls(media.url));

    expect(back.joined).toBe(LISTENERS);
    // At most one check per freshness window while the storm lasts, plus one for the cold object
    // (none when its alarm has just checked): a join per socket used to cost one each.
    expect(calls.get(storm.MEDIA_CHECK_CALL) ?? 0).toBeLessThanOrEqual(
      1 + Math.ceil(back.ms / JOIN_CHECK_MAX_AGE_MS),
    );
    // What each listener needs of its own is still made for each, in one call with its join: its
    // receive path (the transport, and its consumer when the host plays).
    expect(calls.get('POST /v1/sessions/:sessionId/receivers')).toBe(LISTENERS);
    expect(calls.get('POST /v1/sessions/:sessionId/transports') ?? 0).toBe(0);
    for (const ws of back.sockets) ws.terminate();
    host.terminate();
  }, 180_000);
});
