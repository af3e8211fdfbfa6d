/**
 * The media node's events reach the party at once: a node start (the node lost every session)
 * makes the live party rebuild its media on the node; the route admits only what the node signed.
 */
import { SELF } from 'cloudflare:test';
import { MEDIA_EVENTS_PATH } from '@dmp-party/protocol';
import { describe, expect, it } from 'vitest';
import { mediaNode, newSessionId, partyWithListener, postMediaEvents } from './party-client';

describe('media node events', () => {
  it('a node start makes the live party re-create its media and reset host and listeners', async () => {
    const { sessionId, host, listener } = await partyWithListener('restart');
    // What a restarted node looks like from the edge: it knows nothing of the session.
    await mediaNode().closeSession(sessionId);

    const told = await postMediaEvents([{ type: 'nodeStarted', bootId: 'boot-1' }]);
    expect(told.status).toBe(200);
    expect(await told.json()).toEqual({ delivered: 1 });
    for (const client of [host, listener])
      expect(await client.next('mediaReset')).toMatchObject({ reason: 'media-session-lost' });
    expect(await mediaNode().sessionStats(sessionId)).toMatchObject({ producers: 0, needsRebuild: false });
    await host.expect('ok', { type: 'endSession' });
  });

  it('delivers nothing for a session no live party holds', async () => {
    const told = await postMediaEvents([
      { type: 'sessionRebuilt', sessionId: newSessionId('nobody'), generation: 3 },
    ]);
    expect(await told.json()).toEqual({ delivered: 0 });
  });

  it('refuses unsigned, wrongly signed and malformed bodies with codes', async () => {
    const event = { type: 'nodeStarted', bootId: 'boot-2' } as const;
    const unsigned = await SELF.fetch(`https://edge.test${MEDIA_EVENTS_PATH}`, {
      method: 'POST',
      body: JSON.stringify({ events: [event] }),
    });
    expect(unsigned.status).toBe(401);
    const forged = await postMediaEvents([event], 'not-the-media-node-secret-0123456789abc');
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    const malformed = await postMediaEvents([{ type: 'reboot' } as never]);
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });
});
