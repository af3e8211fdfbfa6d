import { addSrtpConsumer, RtpSink, startPlainProducer } from '@dmp-party/harness/rtp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sleep, startTestNode, type TestNode } from './test-node';

let t: TestNode;
const sink = new RtpSink();
beforeAll(async () => {
  t = await startTestNode(inject('workerBinary'), { MEDIA_NODE_MAX_CONSUMERS_PER_WORKER: '3' });
});
afterAll(async () => {
  sink.close();
  await t.node.close();
});

describe('spreading one session over workers', () => {
  it('puts listeners beyond the per-worker limit on the other worker, fed through pipeToRouter', async () => {
    const { routerRtpCapabilities } = await t.client.createSession('spread');
    const producer = await startPlainProducer(t.client, 'spread');
    const port = await sink.bind();
    for (let i = 0; i < 8; i++) {
      await addSrtpConsumer(t.client, 'spread', producer.producerId, routerRtpCapabilities, port, `l${i}`);
    }

    const { workers } = await t.client.workers();
    const consumersPerWorker = workers.map((worker) => worker.consumers).sort();
    // The origin worker takes 3, then listeners go to the least-loaded worker: 3 + 5, never 8 + 0.
    expect(consumersPerWorker.reduce((a, b) => a + b, 0)).toBe(8);
    expect(Math.min(...consumersPerWorker)).toBeGreaterThanOrEqual(3);
    const stats = await t.client.sessionStats('spread');
    expect(stats.routers).toBe(2);
    expect(stats.workers.sort()).toEqual([0, 1]);

    producer.sender.start();
    await sleep(1_500);
    producer.sender.stop();
    await sleep(200);
    const counts = [...sink.counts().values()];
    expect(counts).toHaveLength(8);
    for (const received of counts) expect(received).toBeGreaterThan(producer.sender.sent * 0.9);
    expect(sink.totals().lost).toBe(0);
    producer.sender.close();
  });
});
