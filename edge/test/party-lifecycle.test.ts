import { env, evictDurableObject, runDurableObjectAlarm, runInDurableObject, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { listen, mediaNode, newSessionId, PartyClient, produce, startHosting } from './party-client';

const stubFor = (sessionId: string) => env.PARTY_SESSION.getByName(sessionId);
const graceOf = (sessionId: string) =>
  runInDurableObject(
    stubFor(sessionId),
    async (_instance, state) => (await state.storage.get<number>('graceUntil')) ?? null,
  );
/** Stands in for the grace period passing: moves the stored deadline into the past. */
const expireGrace = (sessionId: string) =>
  runInDurableObject(stubFor(sessionId), (_instance, state) =>
    state.storage.put('graceUntil', Date.now() - 1),
  );
const track = (n: number) => ({ trackId: `t-${n}`, title: `Song ${n}`, artist: 'Band', durationMs: 180_000 });

describe('party lifecycle', () => {
  it('keeps the listener count right through joins, leaves and dropped sockets', async () => {
    const sessionId = newSessionId();
    const host = await PartyClient.host(sessionId);
    await startHosting(host);
    const listeners = await Promise.all([1, 2, 3, 4, 5].map(() => PartyClient.connect(sessionId)));
    await host.next('listenerCount', (message) => message.count === 5);

    const mark = host.received.length;
    await listeners[0]?.close();
    await listeners[1]?.close(1001);
    // Dropped without waiting for the close handshake.
    listeners[2]?.ws.close(4000, 'gone');
    await host.next('listenerCount', (message) => message.count === 2, mark);
    const status = await (await SELF.fetch('https://edge.test/api/party/status')).json();
    expect(status).toMatchObject({ sessionId, listenerCount: 2 });

    const mark2 = host.received.length;
    await PartyClient.connect(sessionId);
    await host.next('listenerCount', (message) => message.count === 3, mark2);
    await host.expect('ok', { type: 'endSession' });
  });

  it('lets a listener who came before the party started join once the host starts it', async () => {
    const sessionId = newSessionId();
    const early = await PartyClient.connect(sessionId);
    expect(await early.request({ type: 'join' })).toMatchObject({ type: 'error', code: 'SESSION_NOT_FOUND' });
    const host = await PartyClient.host(sessionId);
    const { producerId } = await startHosting(host);
    await early.next('hostStatus', (message) => message.connected === true);
    const { consumed } = await listen(early);
    expect(consumed.producerId).toBe(producerId);
    await host.expect('ok', { type: 'endSession' });
  });

  it('gives a late listener the current state and producer, and every listener a replaced producer', async () => {
    const sessionId = newSessionId();
    const host = await PartyClient.host(sessionId);
    const { producerId } = await startHosting(host);
    await host.expect('ok', { type: 'nowPlaying', track: track(1), positionMs: 5000 });
    await host.expect('ok', { type: 'pause', positionMs: 6000 });

    const early = await PartyClient.connect(sessionId);
    await listen(early);
    const late = await PartyClient.connect(sessionId);
    const { joined } = await listen(late);
    expect(joined.producerId).toBe(producerId);
    expect(joined.state).toMatchObject({ nowPlaying: track(1), paused: true, positionMs: 6000 });

    const newProducerId = await produce(host, 22_222_222);
    expect(newProducerId).not.toBe(producerId);
    for (const listener of [early, late]) {
      await listener.next('producerClosed', (message) => message.producerId === producerId);
      await listener.next('producerAvailable', (message) => message.producerId === newProducerId);
      const { consumed } = await listen(listener);
      expect(consumed.producerId).toBe(newProducerId);
    }
    // The replaced producer is closed on the media node just after listeners heard of the new one.
    await expect.poll(async () => (await mediaNode().sessionStats(sessionId)).producers).toBe(1);
    await host.expect('ok', { type: 'endSession' });
  });

  it('waits for a dropped host and resumes the same session when it reconnects', async () => {
    const sessionId = newSessionId();
    const host = await PartyClient.host(sessionId);
    const { producerId } = await startHosting(host);
    await host.expect('ok', { type: 'nowPlaying', track: track(2), positionMs: 0 });
    const listener = await PartyClient.connect(sessionId);
    await listen(listener);

    await host.close(1001);
    await listener.next('hostStatus', (message) => message.connected === false);
    expect(await graceOf(sessionId)).not.toBeNull();

    const again = await PartyClient.host(sessionId);
    const resumed = await again.expect('sessionCreated', { type: 'createSession' });
    expect(resumed.resumed).toBe(true);
    await listener.next('hostStatus', (message) => message.connected === true);
    expect(await graceOf(sessionId)).toBeNull();
    // The alarm now only checks the media side; the party goes on.
    expect(await runDurableObjectAlarm(stubFor(sessionId))).toBe(true);
    expect(listener.all('sessionEnded')).toEqual([]);
    const late = await PartyClient.connect(sessionId);
    const { joined } = await listen(late);
    expect(joined).toMatchObject({ producerId, hostConnected: true, state: { nowPlaying: track(2) } });
    await again.expect('ok', { type: 'endSession' });
  });

  it('replaces an older host connection without starting the grace period', async () => {
    const sessionId = newSessionId();
    const host = await PartyClient.host(sessionId);
    await startHosting(host);
    const listener = await PartyClient.connect(sessionId);
    await listener.expect('joined', { type: 'join' });
    const newer = await PartyClient.host(sessionId);
    await host.untilClosed();
    expect(host.closed?.code).toBe(4001);
    expect((await newer.expect('sessionCreated', { type: 'createSession' })).resumed).toBe(true);
    expect(await graceOf(sessionId)).toBeNull();
    expect(listener.all('hostStatus').filter((message) => message.connected === false)).toEqual([]);
    await newer.expect('ok', { type: 'endSession' });
  });

  it('ends the party when the host stays away for the grace period, leaving nothing on the media node', async () => {
    const sessionId = newSessionId();
    const host = await PartyClient.host(sessionId);
    await startHosting(host);
    const listener = await PartyClient.connect(sessionId);
    await listen(listener);
    await host.close();
    await listener.next('hostStatus', (message) => message.connected === false);

    // Before the deadline the alarm leaves the party alone.
    expect(await runDurableObjectAlarm(stubFor(sessionId))).toBe(true);
    const mark = listener.received.length;
    await listener.expect('joined', { type: 'join' });
    expect(listener.all('sessionEnded')).toEqual([]);
    await expireGrace(sessionId);
    expect(await runDurableObjectAlarm(stubFor(sessionId))).toBe(true);
    const ended = await listener.next('sessionEnded', () => true, mark);
    expect(ended.reason).toBe('host-timeout');
    await listener.untilClosed();
    await expect(mediaNode().sessionStats(sessionId)).rejects.toMatchObject({ status: 404 });
    const sessions = await mediaNode().listSessions();
    expect(sessions.sessions.map((session) => session.sessionId)).not.toContain(sessionId);

    const status = await (await SELF.fetch('https://edge.test/api/party/status')).json();
    expect(status).toMatchObject({ live: false });
    const lateComer = await PartyClient.connect(sessionId);
    const refused = await lateComer.request({ type: 'join' });
    expect(refused).toMatchObject({ type: 'error', code: 'SESSION_ENDED' });
  });

  it('keeps state and sockets across eviction (hibernation) of the Durable Object', async () => {
    const sessionId = newSessionId();
    const host = await PartyClient.host(sessionId);
    const { producerId } = await startHosting(host);
    await host.expect('ok', { type: 'nowPlaying', track: track(3), positionMs: 42_000 });
    const listeners = await Promise.all([1, 2].map(() => PartyClient.connect(sessionId)));
    for (const listener of listeners) await listen(listener);
    await host.next('listenerCount', (message) => message.count === 2);

    await evictDurableObject(stubFor(sessionId));

    // The hibernated sockets still work, and the woken object knows the party.
    await host.expect('ok', { type: 'seek', positionMs: 50_000 });
    for (const listener of listeners)
      await listener.next(
        'state',
        (message) => (message.state as { positionMs: number }).positionMs === 50_000,
      );
    const late = await PartyClient.connect(sessionId);
    const { joined } = await listen(late);
    expect(joined).toMatchObject({ producerId, state: { nowPlaying: track(3), positionMs: 50_000 } });
    const mark = host.received.length;
    await listeners[0]?.close();
    await host.next('listenerCount', (message) => message.count === 2, mark);
    await host.expect('ok', { type: 'endSession' });
  });

  it('keeps the party across a restart that closes every socket: everyone reconnects and re-syncs', async () => {
    const sessionId = newSessionId();
    const host = await PartyClient.host(sessionId);
    const { producerId } = await startHosting(host);
    await host.expect('ok', { type: 'nowPlaying', track: track(4), positionMs: 1000 });
    const listener = await PartyClient.connect(sessionId);
    await listen(listener);

    await evictDurableObject(stubFor(sessionId), { webSockets: 'close' });
    await host.untilClosed();
    await listener.untilClosed();

    const host2 = await PartyClient.host(sessionId);
    const resumed = await host2.expect('sessionCreated', { type: 'createSession' });
    expect(resumed.resumed).toBe(true);
    const listener2 = await PartyClient.connect(sessionId);
    const { joined } = await listen(listener2);
    expect(joined).toMatchObject({ producerId, state: { nowPlaying: track(4) } });
    await host2.next('listenerCount', (message) => message.count === 1);
    await host2.expect('ok', { type: 'endSession' });
  });
});
