import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { TEST_ALLOWED_ORIGIN, TEST_TURN_URLS } from './constants';
import {
  FAKE_DTLS,
  listen,
  mediaNode,
  newSessionId,
  PartyClient,
  produce,
  startHosting,
} from './party-client';

describe('a party through the edge and a real media node', () => {
  it('host creates a party and produces; listeners join, consume and get metadata', async () => {
    const sessionId = newSessionId();
    const host = await PartyClient.host(sessionId);
    const { created, producerId } = await startHosting(host);
    expect(created).toMatchObject({
      sessionId,
      resumed: false,
      inviteUrl: `https://party.test/party/${sessionId}`,
    });

    const listeners = await Promise.all([1, 2, 3].map(() => PartyClient.connect(sessionId)));
    for (const listener of listeners) {
      const { joined, consumed } = await listen(listener);
      expect(joined.producerId).toBe(producerId);
      expect(joined.hostConnected).toBe(true);
      expect(consumed.producerId).toBe(producerId);
    }
    await host.next('listenerCount', (message) => message.count === 3);

    const stats = await mediaNode().sessionStats(sessionId);
    expect(stats).toMatchObject({ producers: 1, consumers: 3, transports: 4 });

    const track = { trackId: 't-1', title: 'Song', artist: 'Band' };
    await host.expect('ok', { type: 'nowPlaying', track, positionMs: 1000 });
    for (const listener of listeners) {
      const state = await listener.next(
        'state',
        (message) => (message.state as { nowPlaying: unknown }).nowPlaying !== null,
      );
      expect(state.state).toMatchObject({ nowPlaying: track, paused: false, positionMs: 1000 });
      // The edge's clock travels with the state, so a listener can age the position correctly.
      expect(Math.abs((state.serverTime as number) - Date.now())).toBeLessThan(60_000);
    }

    const status = await (await SELF.fetch('https://edge.test/api/party/status')).json();
    expect(status).toMatchObject({ live: true, sessionId, listenerCount: 3, nowPlaying: track });
    expect(JSON.stringify(status)).not.toMatch(/secret|producer|transport/i);

    await host.expect('ok', { type: 'endSession' });
    for (const listener of listeners) {
      await listener.next('sessionEnded');
      await listener.untilClosed();
    }
    await expect(mediaNode().sessionStats(sessionId)).rejects.toMatchObject({ status: 404 });
    expect(await (await SELF.fetch('https://edge.test/api/party/status')).json()).toMatchObject({
      live: false,
    });
  });

  it('lets allowed origins, and only those, read the status across origins (CORS)', async () => {
    const allowed = await SELF.fetch('https://edge.test/api/party/status', {
      headers: { origin: TEST_ALLOWED_ORIGIN },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(TEST_ALLOWED_ORIGIN);
    const foreign = await SELF.fetch('https://edge.test/api/party/status', {
      headers: { origin: 'https://elsewhere.test' },
    });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers a join that asks for it with the receive transport and the resumed consumer', async () => {
    const sessionId = newSessionId();
    const host = await PartyClient.host(sessionId);
    const early = await PartyClient.connect(sessionId);
    await host.expect('sessionCreated', { type: 'createSession' });
    // Before the host produces: a transport, and no consumer yet.
    const waiting = await early.expect('joined', { type: 'join', receive: {} });
    expect(waiting.producerId).toBeNull();
    expect(waiting.transport).toMatchObject({ transportId: expect.any(String) });
    expect(waiting.consumer).toBeNull();

    const producerId = await produce(host);
    const listener = await PartyClient.connect(sessionId);
    const joined = await listener.expect('joined', { type: 'join', receive: {} });
    const transport = joined.transport as { transportId: string };
    const consumer = joined.consumer as { consumerId: string; producerId: string; kind: string };
    expect(consumer).toMatchObject({ producerId, kind: 'audio' });
    // Both ids are the socket's own: its DTLS and its consumer requests go through.
    await listener.expect('ok', {
      type: 'connectTransport',
      transportId: transport.transportId,
      dtlsParameters: FAKE_DTLS,
    });
    await listener.expect('ok', { type: 'resumeConsumer', consumerId: consumer.consumerId });
    // ...and another socket's are not.
    expect(await early.request({ type: 'resumeConsumer', consumerId: consumer.consumerId })).toMatchObject({
      type: 'error',
      code: 'CONSUMER_NOT_FOUND',
    });
    expect(await mediaNode().sessionStats(sessionId)).toMatchObject({
      producers: 1,
      consumers: 1,
      transports: 3,
    });
    // A loaded device's own capabilities work the same way.
    const again = await PartyClient.connect(sessionId);
    const rejoined = await again.expect('joined', {
      type: 'join',
      receive: { rtpCapabilities: joined.routerRtpCapabilities },
    });
    expect(rejoined.consumer).toMatchObject({ producerId });
    expect(rejoined.transportConnected).toBeUndefined();
    await host.expect('ok', { type: 'endSession' });
  });

  it("connects the join's receive transport when the join brings the browser's DTLS parameters", async () => {
    const sessionId = newSessionId();
    const host = await PartyClient.host(sessionId);
    const { producerId } = await startHosting(host);
    const listener = await PartyClient.connect(sessionId);
    const joined = await listener.expect('joined', {
      type: 'join',
      receive: { dtlsParameters: FAKE_DTLS },
    });
    expect(joined.consumer).toMatchObject({ producerId, kind: 'audio' });
    expect(joined.transportConnected).toBe(true);
    // The media node has the DTLS parameters already: connecting again is refused there.
    const transportId = (joined.transport as { transportId: string }).transportId;
    expect(
      await listener.request({ type: 'connectTransport', transportId, dtlsParameters: FAKE_DTLS }),
    ).toMatchObject({ type: 'error' });
    await host.expect('ok', { type: 'endSession' });
  });

  it('keeps every id a socket owns when its requests overlap', async () => {
    const sessionId = newSessionId();
    const host = await PartyClient.host(sessionId);
    await startHosting(host);
    const listener = await PartyClient.connect(sessionId);
    const joined = await listener.expect('joined', { type: 'join' });
    const transports = await Promise.all(
      [1, 2, 3].map(() => listener.expect('transportCreated', { type: 'createRecvTransport' })),
    );
    // Each transport comes with fresh TURN credentials for restrictive networks (edge/src/turn.ts).
    for (const transport of transports)
      expect(transport.iceServers).toEqual([
        {
          urls: TEST_TURN_URLS,
          username: expect.stringMatching(/^\d+:dmp-party$/),
          credential: expect.any(String),
        },
      ]);
    const consumed = await Promise.all(
      transports.map(async (transport) => {
        await listener.expect('ok', {
          type: 'connectTransport',
          transportId: transport.transportId,
          dtlsParameters: FAKE_DTLS,
        });
        return listener.expect('consumed', {
          type: 'consume',
          transportId: transport.transportId,
          rtpCapabilities: joined.routerRtpCapabilities,
        });
      }),
    );
    for (const consumer of consumed)
      await listener.expect('ok', { type: 'resumeConsumer', consumerId: consumer.consumerId });
    expect((await mediaNode().sessionStats(sessionId)).consumers).toBe(3);
    await host.expect('ok', { type: 'endSession' });
  });

  it("restarts ICE of a socket's own transport (host and listener), and of nobody else's", async () => {
    const sessionId = newSessionId();
    const host = await PartyClient.host(sessionId);
    await host.expect('sessionCreated', { type: 'createSession' });
    const send = await host.expect('transportCreated', { type: 'createTransport', direction: 'send' });
    const listener = await PartyClient.connect(sessionId);
    await listener.expect('joined', { type: 'join' });
    const recv = await listener.expect('transportCreated', { type: 'createRecvTransport' });

    const first = await listener.expect('iceRestarted', {
      type: 'restartIce',
      transportId: recv.transportId,
    });
    const second = await listener.expect('iceRestarted', {
      type: 'restartIce',
      transportId: recv.transportId,
    });
    const fragment = (reply: typeof first) =>
      (reply.iceParameters as { usernameFragment: string }).usernameFragment;
    expect(fragment(first)).not.toBe(fragment(second));
    expect(fragment(first)).not.toBe((recv.iceParameters as { usernameFragment: string }).usernameFragment);
    await host.expect('iceRestarted', { type: 'restartIce', transportId: send.transportId });

    // Another socket's transport looks exactly like an unknown one, for either role.
    for (const [client, transportId] of [
      [listener, send.transportId],
      [host, recv.transportId],
    ] as const)
      expect(await client.request({ type: 'restartIce', transportId })).toMatchObject({
        type: 'error',
        code: 'TRANSPORT_NOT_FOUND',
      });
    expect(await listener.request({ type: 'restartIce', transportId: 'not-an-id' })).toMatchObject({
      type: 'error',
      code: 'VALIDATION_FAILED',
    });
    await host.expect('ok', { type: 'endSession' });
  });
});
