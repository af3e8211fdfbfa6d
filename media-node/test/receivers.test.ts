import { startPlainProducer } from '@dmp-party/harness/rtp';
import type { RtpCapabilities } from '@dmp-party/protocol';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestNode, type TestNode } from './test-node';

const SESSION = 'receivers';
const dtlsParameters = {
  role: 'client' as const,
  fingerprints: [{ algorithm: 'sha-256' as const, value: Array(32).fill('AB').join(':') }],
};

let t: TestNode;
let routerRtpCapabilities: RtpCapabilities;
let producerId: string;

beforeAll(async () => {
  t = await startTestNode(inject('workerBinary'));
  ({ routerRtpCapabilities } = await t.client.createSession(SESSION));
  const producer = await startPlainProducer(t.client, SESSION);
  producer.sender.close();
  producerId = producer.producerId;
});
afterAll(() => t.node.close());

/** The session's transports and consumers, as the node counts them. */
const counts = async () => {
  const { transports, consumers } = await t.client.sessionStats(SESSION);
  return { transports, consumers };
};

describe("a listener's receive path in one call", () => {
  it('makes the transport, connects it and consumes the producer, resumed', async () => {
    const before = await counts();
    const opened = await t.client.openReceiver(SESSION, {
      peerId: 'listener-1',
      dtlsParameters,
      consume: { producerId, rtpCapabilities: routerRtpCapabilities, paused: false },
    });
    expect(opened.transport).toMatchObject({ type: 'webrtc', transportId: expect.any(String) });
    expect(opened.transport.iceCandidates.length).toBeGreaterThan(0);
    expect(opened.connected).toBe(true);
    expect(opened.consumer).toMatchObject({ producerId, kind: 'audio', paused: false });
    expect(opened).not.toHaveProperty('connectError');
    expect(opened).not.toHaveProperty('consumeError');
    expect(await counts()).toEqual({
      transports: before.transports + 1,
      consumers: before.consumers + 1,
    });
    // The transport took the DTLS parameters: a second connect is refused as such.
    await expect(
      t.client.connectTransport(SESSION, opened.transport.transportId, { dtlsParameters }),
    ).rejects.toMatchObject({ status: 409, code: 'WRONG_STATE' });
    // The consumer is an ordinary one of this session.
    await t.client.closeConsumer(SESSION, (opened.consumer as { consumerId: string }).consumerId);
    expect((await counts()).consumers).toBe(before.consumers);
  });

  it('makes only the transport when asked for nothing else', async () => {
    const opened = await t.client.openReceiver(SESSION, { peerId: 'listener-2' });
    expect(opened).toMatchObject({ connected: false, consumer: null });
    // Not connected: the browser's DTLS parameters can still come the usual way.
    await expect(
      t.client.connectTransport(SESSION, opened.transport.transportId, { dtlsParameters }),
    ).resolves.toEqual({ connected: true });
  });

  it('keeps the transport when the consume is refused, and says why', async () => {
    const before = await counts();
    const opened = await t.client.openReceiver(SESSION, {
      peerId: 'listener-3',
      dtlsParameters,
      consume: { producerId, rtpCapabilities: { codecs: [] } },
    });
    expect(opened.connected).toBe(true);
    expect(opened.consumer).toBeNull();
    expect(opened.consumeError).toEqual({ code: 'CANNOT_CONSUME', message: expect.any(String) });
    expect(await counts()).toEqual({ transports: before.transports + 1, consumers: before.consumers });
    // The listener consumes on that transport the usual way.
    await expect(
      t.client.consume(SESSION, {
        transportId: opened.transport.transportId,
        producerId,
        rtpCapabilities: routerRtpCapabilities,
      }),
    ).resolves.toMatchObject({ producerId, paused: true });
  });

  it('says which producer is unknown without failing the transport', async () => {
    const opened = await t.client.openReceiver(SESSION, {
      peerId: 'listener-4',
      consume: {
        producerId: '00000000-0000-4000-8000-000000000000',
        rtpCapabilities: routerRtpCapabilities,
      },
    });
    expect(opened.consumer).toBeNull();
    expect(opened.consumeError?.code).toBe('PRODUCER_NOT_FOUND');
    expect(opened.transport.transportId).toEqual(expect.any(String));
  });

  it('refuses an unknown session and malformed input before touching mediasoup', async () => {
    const before = await counts();
    await expect(t.client.openReceiver('no-such-session', { peerId: 'x' })).rejects.toMatchObject({
      status: 404,
      code: 'SESSION_NOT_FOUND',
    });
    await expect(
      t.client.openReceiver(SESSION, {
        peerId: 'x',
        dtlsParameters: { role: 'client', fingerprints: [] },
      }),
    ).rejects.toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    await expect(
      t.client.openReceiver(SESSION, { peerId: 'x', direction: 'send' } as never),
    ).rejects.toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(await counts()).toEqual(before);
  });
});

describe('a transport connected as it is made', () => {
  it("connects a host's send transport with the browser's DTLS parameters in the create call", async () => {
    const made = await t.client.createTransport(SESSION, {
      type: 'webrtc',
      peerId: 'host',
      direction: 'send',
      dtlsParameters,
    });
    expect(made).toMatchObject({ type: 'webrtc', connected: true });
    await expect(
      t.client.connectTransport(SESSION, made.transportId, { dtlsParameters }),
    ).rejects.toMatchObject({ status: 409, code: 'WRONG_STATE' });
    await t.client.closeTransport(SESSION, made.transportId);
  });

  it('leaves a transport made without DTLS parameters for the usual connect', async () => {
    const made = await t.client.createTransport(SESSION, {
      type: 'webrtc',
      peerId: 'host',
      direction: 'send',
    });
    expect(made).not.toHaveProperty('connected');
    await t.client.connectTransport(SESSION, made.transportId, { dtlsParameters });
    await t.client.closeTransport(SESSION, made.transportId);
  });
});
