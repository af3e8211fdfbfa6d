/**
 * A listener's receive transport whose browser went away without the edge closing it (an edge
 * restart dropped every socket): closed by the node itself when the peer connection closes.
 */
import { startPlainProducer } from '@dmp-party/harness/rtp';
import { nodeListenerMedia } from '@dmp-party/harness/webrtc-listener';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestNode, type TestNode } from './test-node';

let t: TestNode;
beforeAll(async () => {
  t = await startTestNode(inject('workerBinary'));
});
afterAll(async () => {
  await t.node.close();
});

describe('abandoned receive transports', () => {
  it("closes a listener's transport once its peer closes the connection", async () => {
    const sessionId = 'abandoned-1';
    const { routerRtpCapabilities } = await t.client.createSession(sessionId);
    const producer = await startPlainProducer(t.client, sessionId);
    producer.sender.start();
    try {
      const rtpCapabilities = await nodeListenerMedia.loadDevice(routerRtpCapabilities);
      const created = await t.client.createTransport(sessionId, {
        type: 'webrtc',
        peerId: 'listener',
        direction: 'recv',
      });
      if (created.type !== 'webrtc') throw new Error('expected a WebRTC transport');
      const transport = await nodeListenerMedia.createRecvTransport(created, {
        connect: async (dtlsParameters) => {
          await t.client.connectTransport(sessionId, created.transportId, { dtlsParameters });
        },
      });
      const consumed = await t.client.consume(sessionId, {
        transportId: created.transportId,
        producerId: producer.producerId,
        rtpCapabilities,
        paused: false,
      });
      await nodeListenerMedia.consume(transport, consumed);
      await expect.poll(() => transport.connectionState, { timeout: 20_000 }).toBe('connected');
      expect(await t.client.sessionStats(sessionId)).toMatchObject({ transports: 2, consumers: 1 });

      // The browser leaves (its page rejoined with a new transport): nobody tells the node.
      transport.close();

      await expect
        .poll(async () => (await t.client.sessionStats(sessionId)).transports, { timeout: 20_000 })
        .toBe(1);
      expect((await t.client.sessionStats(sessionId)).consumers).toBe(0);
    } finally {
      producer.sender.stop();
      await t.client.closeSession(sessionId);
    }
  }, 60_000);
});
