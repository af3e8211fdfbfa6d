import { addSrtpConsumer, RtpSink, startPlainProducer } from '@dmp-party/harness/rtp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sleep, startTestNode, type TestNode } from './test-node';

let t: TestNode;
const sinks: RtpSink[] = [];
beforeAll(async () => {
  t = await startTestNode(inject('workerBinary'));
});
afterAll(async () => {
  for (const sink of sinks) sink.close();
  await t.node.close();
});

describe('audio through the media node', () => {
  it('forwards a producer to paused-then-resumed SRTP consumers of each suite, and cleans up on close', async () => {
    const { routerRtpCapabilities } = await t.client.createSession('flow-1');
    const opus = routerRtpCapabilities.codecs?.find((codec) => codec.mimeType === 'audio/opus');
    expect(opus).toMatchObject({ clockRate: 48_000, channels: 2 });

    const producer = await startPlainProducer(t.client, 'flow-1');
    const listeners = [];
    for (let i = 0; i < 3; i++) {
      const sink = new RtpSink();
      sinks.push(sink);
      const port = await sink.bind();
      listeners.push({
        sink,
        ...(await addSrtpConsumer(t.client, 'flow-1', producer.producerId, routerRtpCapabilities, port)),
      });
    }

    producer.sender.start();
    await sleep(1_500);
    producer.sender.stop();
    await sleep(200);

    for (const { sink } of listeners) {
      const totals = sink.totals();
      expect(totals.streams).toBe(1);
      // ~75 packets sent in 1.5 s; each listener must get nearly all of them, SRTP-sized.
      expect(totals.received).toBeGreaterThan(producer.sender.sent * 0.9);
      expect(totals.lost).toBe(0);
      // 332 bytes of RTP plus the SRTP auth tag (10 bytes for HMAC-SHA1-80, 16 for GCM).
      expect(totals.bytes / totals.received).toBeGreaterThanOrEqual(342);
    }

    const stats = await t.client.sessionStats('flow-1');
    expect(stats).toMatchObject({
      transports: 4,
      producers: 1,
      consumers: 3,
      generation: 0,
      needsRebuild: false,
    });
    expect(stats.bytesReceived).toBeGreaterThan(0);
    expect(stats.bytesSent).toBeGreaterThan(stats.bytesReceived);

    await t.client.closeSession('flow-1');
    await expect(t.client.sessionStats('flow-1')).rejects.toMatchObject({
      status: 404,
      code: 'SESSION_NOT_FOUND',
    });
    const { workers } = await t.client.workers();
    expect(workers.reduce((sum, worker) => sum + worker.transports + worker.consumers, 0)).toBe(0);
    producer.sender.close();
  });

  it('creates consumers paused and only forwards after resume', async () => {
    const { routerRtpCapabilities } = await t.client.createSession('flow-2');
    const producer = await startPlainProducer(t.client, 'flow-2');
    const sink = new RtpSink();
    sinks.push(sink);
    const port = await sink.bind();
    const transport = await t.client.createTransport('flow-2', {
      type: 'plain',
      peerId: 'l',
      direction: 'recv',
      srtp: false,
      comedia: false,
    });
    await t.client.connectTransport('flow-2', transport.transportId, { ip: '127.0.0.1', port });
    const consumer = await t.client.consume('flow-2', {
      transportId: transport.transportId,
      producerId: producer.producerId,
      rtpCapabilities: routerRtpCapabilities,
    });
    expect(consumer.paused).toBe(true);
    producer.sender.start();
    await sleep(500);
    expect(sink.totals().received).toBe(0);
    await t.client.resumeConsumer('flow-2', consumer.consumerId);
    await sleep(500);
    expect(sink.totals().received).toBeGreaterThan(15);
    producer.sender.close();
    await t.client.closeSession('flow-2');
  });
});
