import { describe, expect, it } from 'vitest';
import {
  FAKE_DTLS,
  listen,
  mediaNode,
  newSessionId,
  opusRtpParameters,
  PartyClient,
  produce,
  startHosting,
} from './party-client';

async function transportsOn(sessionId: string): Promise<number> {
  return (await mediaNode().sessionStats(sessionId)).transports;
}

/**
 * A hosted party with a producer and one listener, whose host socket a second one has just replaced:
 * the ids, the listener, the media node's transport count before, and the new host socket.
 */
async function hostTakenOver() {
  const sessionId = newSessionId();
  const host = await PartyClient.host(sessionId);
  const { producerId } = await startHosting(host);
  const listener = await PartyClient.connect(sessionId);
  await listen(listener);
  const withOneHostTransport = await transportsOn(sessionId);
  const again = await PartyClient.host(sessionId);
  await host.untilClosed();
  return { sessionId, producerId, listener, withOneHostTransport, again };
}

/** Produces on a transport of the host's own, returning both ids. */
async function publish(host: PartyClient, ssrc: number) {
  const transport = await host.expect('transportCreated', { type: 'createTransport', direction: 'send' });
  const transportId = String(transport.transportId);
  await host.expect('ok', { type: 'connectTransport', transportId, dtlsParameters: FAKE_DTLS });
  const produced = await host.expect('produced', {
    type: 'produce',
    transportId,
    kind: 'audio',
    rtpParameters: opusRtpParameters(ssrc),
  });
  return { transportId, producerId: String(produced.producerId) };
}

describe('a reconnecting host', () => {
  it('keeps publishing on its transport when it names the live producer: nothing new, listeners untouched', async () => {
    const sessionId = newSessionId();
    const host = await PartyClient.host(sessionId);
    await host.expect('sessionCreated', { type: 'createSession' });
    const { transportId, producerId } = await publish(host, 31_000_001);
    const listener = await PartyClient.connect(sessionId);
    await listen(listener);
    const before = await transportsOn(sessionId);

    const again = await PartyClient.host(sessionId);
    await host.untilClosed();
    const resumed = await again.expect('sessionCreated', {
      type: 'createSession',
      keepProducerId: producerId,
    });
    expect(resumed).toMatchObject({ resumed: true, producerKept: true });
    expect(await transportsOn(sessionId)).toBe(before);
    const late = await PartyClient.connect(sessionId);
    expect((await listen(late)).consumed.producerId).toBe(producerId);
    expect(listener.all('producerClosed')).toEqual([]);

    // The new socket now owns the kept transport (another socket's id would be TRANSPORT_NOT_FOUND):
    // a second track may go out on it.
    const produced = await again.expect('produced', {
      type: 'produce',
      transportId,
      kind: 'audio',
      rtpParameters: { ...opusRtpParameters(31_000_002), mid: '1' },
    });
    expect(produced.producerId).not.toBe(producerId);
    await again.expect('ok', { type: 'endSession' });
  });

  it('republishes when it names another producer, and the edge closes the transport it replaced', async () => {
    const { sessionId, producerId, listener, withOneHostTransport, again } = await hostTakenOver();
    const resumed = await again.expect('sessionCreated', {
      type: 'createSession',
      keepProducerId: crypto.randomUUID(),
    });
    expect(resumed).toMatchObject({ resumed: true, producerKept: false });

    const newProducerId = await produce(again, 31_000_003);
    await listener.next('producerClosed', (message) => message.producerId === producerId);
    await listener.next('producerAvailable', (message) => message.producerId === newProducerId);
    // The old socket's send transport is gone from the media node: still one host transport (closed
    // just after listeners heard of the new producer).
    await expect.poll(() => transportsOn(sessionId)).toBe(withOneHostTransport);
    await expect.poll(async () => (await mediaNode().sessionStats(sessionId)).producers).toBe(1);
    await again.expect('ok', { type: 'endSession' });
  });

  it('gets its send transport, connected, in the createSession exchange, and publishes on it at once', async () => {
    const { sessionId, producerId, listener, withOneHostTransport, again } = await hostTakenOver();
    const resumed = await again.expect('sessionCreated', {
      type: 'createSession',
      keepProducerId: producerId,
      send: { dtlsParameters: FAKE_DTLS },
    });
    // The old socket's producer is the party's still: the edge keeps it and makes nothing new.
    expect(resumed).toMatchObject({ producerKept: true });
    expect(resumed.sendTransport).toBeUndefined();

    const refreshed = await PartyClient.host(sessionId);
    await again.untilClosed();
    const created = await refreshed.expect('sessionCreated', {
      type: 'createSession',
      send: { dtlsParameters: FAKE_DTLS },
    });
    expect(created.sendTransportConnected).toBe(true);
    const transportId = (created.sendTransport as { transportId: string }).transportId;
    // Connected on the media node already: a second connect is refused there.
    expect(
      await refreshed.request({ type: 'connectTransport', transportId, dtlsParameters: FAKE_DTLS }),
    ).toMatchObject({ type: 'error' });
    const produced = await refreshed.expect('produced', {
      type: 'produce',
      transportId,
      kind: 'audio',
      rtpParameters: opusRtpParameters(31_000_004),
    });
    await listener.next('producerClosed', (message) => message.producerId === producerId);
    await listener.next('producerAvailable', (message) => message.producerId === produced.producerId);
    // The replaced socket's send transport is gone from the media node: still one host transport.
    await expect.poll(() => transportsOn(sessionId)).toBe(withOneHostTransport);
    await refreshed.expect('ok', { type: 'endSession' });
  });

  it('gets a send transport without DTLS parameters unconnected, and connects it the usual way', async () => {
    const sessionId = newSessionId();
    const host = await PartyClient.host(sessionId);
    const created = await host.expect('sessionCreated', { type: 'createSession', send: {} });
    expect(created.sendTransportConnected).toBeUndefined();
    const transportId = (created.sendTransport as { transportId: string }).transportId;
    await host.expect('ok', { type: 'connectTransport', transportId, dtlsParameters: FAKE_DTLS });
    await host.expect('produced', {
      type: 'produce',
      transportId,
      kind: 'audio',
      rtpParameters: opusRtpParameters(31_000_005),
    });
    await host.expect('ok', { type: 'endSession' });
  });
});
