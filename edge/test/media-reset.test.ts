import { env, runDurableObjectAlarm } from 'cloudflare:test';
import { describe, expect, inject, it } from 'vitest';
import { JOIN_CHECK_MAX_AGE_MS } from '../src/party/media-link';
import {
  FAKE_DTLS,
  listen,
  mediaNode,
  newSessionId,
  PartyClient,
  partyWithListener,
  postMediaEvents,
  produce,
  startHosting,
} from './party-client';

/** Kills (SIGKILL) the mediasoup worker hosting the session's origin router, and waits for the rebuild. */
async function killSessionWorker(sessionId: string): Promise<void> {
  const before = await mediaNode().sessionStats(sessionId);
  const index = before.workers[0];
  const response = await fetch(`${inject('controlUrl')}/kill-worker/${index}`, { method: 'POST' });
  expect(response.status).toBe(200);
  for (;;) {
    const stats = await mediaNode().sessionStats(sessionId);
    if (stats.generation > before.generation && stats.needsRebuild) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a media worker dies under a live party', () => {
  it("on the media node's event, tells host and listeners mediaReset; the host produces again and listeners consume again", async () => {
    const sessionId = newSessionId('reset');
    const host = await PartyClient.host(sessionId);
    await startHosting(host);
    await host.expect('ok', {
      type: 'nowPlaying',
      track: { trackId: 'r', title: 'R', artist: 'A' },
      positionMs: 0,
    });
    const listener = await PartyClient.connect(sessionId);
    await listen(listener);

    await killSessionWorker(sessionId);
    // What the media node posts at once (tested from its side in media-node/test/edge-events.test.ts).
    const generation = (await mediaNode().sessionStats(sessionId)).generation;
    const told = await postMediaEvents([{ type: 'sessionRebuilt', sessionId, generation }]);
    expect(await told.json()).toEqual({ delivered: 1 });
    for (const client of [host, listener]) await client.next('mediaReset');
    expect((await mediaNode().sessionStats(sessionId)).needsRebuild).toBe(false);

    // A listener joining now finds no producer until the host produces again.
    const late = await PartyClient.connect(sessionId);
    const joined = await late.expect('joined', { type: 'join' });
    expect(joined.producerId).toBeNull();
    expect(joined.state).toMatchObject({ nowPlaying: { trackId: 'r' } });

    const producerId = await produce(host, 33_333_333);
    for (const client of [listener, late]) {
      await client.next('producerAvailable', (message) => message.producerId === producerId);
      const { consumed } = await listen(client);
      expect(consumed.producerId).toBe(producerId);
    }
    expect(await mediaNode().sessionStats(sessionId)).toMatchObject({ producers: 1, consumers: 2 });
    expect(host.all('mediaReset')).toHaveLength(1);
    await host.expect('ok', { type: 'endSession' });
  });

  it('notices on its periodic media check, with nobody joining or producing', async () => {
    const { sessionId, host, listener } = await partyWithListener('resetalarm');

    await killSessionWorker(sessionId);
    expect(await runDurableObjectAlarm(env.PARTY_SESSION.getByName(sessionId))).toBe(true);
    await host.next('mediaReset');
    await listener.next('mediaReset');
    expect((await mediaNode().sessionStats(sessionId)).needsRebuild).toBe(false);
    await host.expect('ok', { type: 'endSession' });
  });

  it('a host resuming after the rebuild, with no check lately, gets no send transport from before it and publishes anew', async () => {
    const sessionId = newSessionId('resetresume');
    const host = await PartyClient.host(sessionId);
    await startHosting(host);
    const listener = await PartyClient.connect(sessionId);
    await listen(listener);

    await killSessionWorker(sessionId);
    // No event: the resume's own check (run beside its send path) is the one that finds the
    // rebuild, once the listener's join check is too old to share.
    await new Promise((resolve) => setTimeout(resolve, JOIN_CHECK_MAX_AGE_MS + 500));
    expect(host.all('mediaReset')).toEqual([]);
    const again = await PartyClient.host(sessionId);
    await host.untilClosed();
    const resumed = await again.expect('sessionCreated', {
      type: 'createSession',
      send: { dtlsParameters: FAKE_DTLS },
    });
    expect(resumed).toMatchObject({
      resumed: true,
      producerKept: false,
      sendTransport: null,
      sendTransportConnected: false,
    });
    await again.next('mediaReset');
    await listener.next('mediaReset');

    const producerId = await produce(again, 34_000_001);
    await listener.next('producerAvailable', (message) => message.producerId === producerId);
    expect((await listen(listener)).consumed.producerId).toBe(producerId);
    await again.expect('ok', { type: 'endSession' });
  });

  it('resets once when the host uses an id from before the rebuild (410 MEDIA_REBUILT)', async () => {
    const sessionId = newSessionId('reset410');
    const host = await PartyClient.host(sessionId);
    await host.expect('sessionCreated', { type: 'createSession' });
    const transport = await host.expect('transportCreated', { type: 'createTransport', direction: 'send' });
    const listener = await PartyClient.connect(sessionId);
    await listener.expect('joined', { type: 'join' });

    await killSessionWorker(sessionId);

    const reply = await host.request({
      type: 'connectTransport',
      transportId: transport.transportId,
      dtlsParameters: FAKE_DTLS,
    });
    expect(reply).toMatchObject({ type: 'error', code: 'MEDIA_REBUILT' });
    await host.next('mediaReset');
    await listener.next('mediaReset');
    // The old transport is forgotten; the host starts over on the rebuilt router.
    const producerId = await produce(host);
    await listener.next('producerAvailable', (message) => message.producerId === producerId);
    expect(host.all('mediaReset')).toHaveLength(1);
    await host.expect('ok', { type: 'endSession' });
  });
});
