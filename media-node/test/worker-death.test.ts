import { addSrtpConsumer, RtpSink, startPlainProducer } from '@dmp-party/harness/rtp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually, sleep, startTestNode, type TestNode } from './test-node';

let t: TestNode;
const sink = new RtpSink();
beforeAll(async () => {
  t = await startTestNode(inject('workerBinary'));
});
afterAll(async () => {
  sink.close();
  await t.node.close();
});

describe('a worker killed with SIGKILL', () => {
  it('rebuilds the router of its sessions on a live worker and tells the edge through the session', async () => {
    const { routerRtpCapabilities } = await t.client.createSession('doomed');
    await t.client.createSession('bystander');
    const producer = await startPlainProducer(t.client, 'doomed');
    const port = await sink.bind();
    const listener = await addSrtpConsumer(
      t.client,
      'doomed',
      producer.producerId,
      routerRtpCapabilities,
      port,
    );

    const before = await t.client.sessionStats('doomed');
    const [originIndex] = before.workers;
    const { workers } = await t.client.workers();
    const victim = workers.find((worker) => worker.index === originIndex);
    expect(victim?.alive).toBe(true);
    process.kill(victim?.pid ?? 0, 'SIGKILL');

    const after = await eventually(async () => {
      const stats = await t.client.sessionStats('doomed');
      return stats.generation === 1 ? stats : undefined;
    });
    expect(after).toMatchObject({
      needsRebuild: true,
      transports: 0,
      producers: 0,
      consumers: 0,
      routers: 1,
    });

    // Ids from before the rebuild get a clear 410, not a puzzling 404.
    await expect(t.client.resumeConsumer('doomed', listener.consumerId)).rejects.toMatchObject({
      status: 410,
      code: 'MEDIA_REBUILT',
    });
    await expect(t.client.closeTransport('doomed', producer.transportId)).rejects.toMatchObject({
      status: 410,
    });

    // The edge re-produces and re-consumes on the new generation, and audio flows again.
    producer.sender.close();
    const again = await startPlainProducer(t.client, 'doomed');
    await addSrtpConsumer(t.client, 'doomed', again.producerId, routerRtpCapabilities, port, 'again');
    sink.reset();
    again.sender.start();
    await sleep(1_000);
    again.sender.close();
    expect(sink.totals().received).toBeGreaterThan(30);
    expect((await t.client.acknowledgeRebuild('doomed')).generation).toBe(1);
    expect((await t.client.sessionStats('doomed')).needsRebuild).toBe(false);

    // The dead worker is replaced, on the same WebRtcServer port.
    const replaced = await eventually(async () => {
      const list = await t.client.workers();
      const slot = list.workers.find((worker) => worker.index === originIndex);
      return slot?.alive && slot.pid !== victim?.pid ? slot : undefined;
    });
    expect(replaced.rtcPort).toBe(victim?.rtcPort);
    expect((await t.request('/health')).status).toBe(200);
  });
});
