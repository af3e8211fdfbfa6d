import { randomUUID } from 'node:crypto';
import { rtcPortBlocks } from '@dmp-party/harness/ports';
import { addSrtpConsumer, RtpSink, startPlainProducer } from '@dmp-party/harness/rtp';
import { type MediaApiError, pipeProducer } from '@dmp-party/protocol';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sleep, startTestNode, type TestNode } from './test-node';

let origin: TestNode;
let relay: TestNode;
const sink = new RtpSink();
const SESSION = 'cascade-pipes';

beforeAll(async () => {
  // Two nodes in this process, on two different RTC port blocks.
  const [first, second] = rtcPortBlocks('mediaNodeTests') as unknown as [{ min: number }, { min: number }];
  const ports = (block: { min: number }) => ({
    RTC_MIN_PORT: String(block.min),
    RTC_MAX_PORT: String(block.min + 499),
    MEDIASOUP_WORKERS: '1',
  });
  origin = await startTestNode(inject('workerBinary'), ports(first));
  relay = await startTestNode(inject('workerBinary'), ports(second));
});
afterAll(async () => {
  sink.close();
  await Promise.all([origin?.node.close(), relay?.node.close()]);
});

const refusal = (call: Promise<unknown>) =>
  call.then(
    () => 'accepted',
    (error: MediaApiError) => `${error.status} ${error.code}`,
  );

describe('pipes between two media nodes', () => {
  it("carries the origin's producer, same id, to a listener of the other node over SRTP", async () => {
    await origin.client.createSession(SESSION);
    const { routerRtpCapabilities } = await relay.client.createSession(SESSION);
    const producer = await startPlainProducer(origin.client, SESSION);

    // What the edge does (protocol's pipeProducer): a pipe end on each node, connected, SRTP keyed.
    const pipe = await pipeProducer(SESSION, origin.client, relay.client, producer.producerId);
    const { producerId } = pipe;
    expect(producerId).toBe(producer.producerId);

    const port = await sink.bind();
    await addSrtpConsumer(relay.client, SESSION, producerId, routerRtpCapabilities, port);
    expect(await relay.client.load()).toMatchObject({ draining: false, sessions: 1, listeners: 1 });

    producer.sender.start();
    await sleep(1_500);
    producer.sender.stop();
    await sleep(200);
    const [received] = [...sink.counts().values()];
    expect(received).toBeGreaterThan(producer.sender.sent * 0.9);
    expect(sink.totals().lost).toBe(0);
    producer.sender.close();
  });

  it('refuses pipes without keys, unknown pipe transports and unknown producers', async () => {
    const end = await relay.client.createPipeTransport(SESSION);
    const other = await origin.client.createPipeTransport(SESSION);
    expect(end.srtpParameters.keyBase64).not.toBe(other.srtpParameters.keyBase64);
    const noKeys = relay.request(`/v1/sessions/${SESSION}/pipe-transports/${end.transportId}/connect`, {
      method: 'POST',
      body: JSON.stringify({ ip: '127.0.0.1', port: 9 }),
    });
    // Unsigned, so refused before the body is read; the schema refusal is checked through the client.
    expect((await noKeys).status).toBe(401);
    const missing = { ip: '127.0.0.1', port: 9 } as never;
    expect(await refusal(relay.client.connectPipeTransport(SESSION, end.transportId, missing))).toBe(
      '400 VALIDATION_FAILED',
    );
    expect(
      await refusal(
        origin.client.pipeConsume(SESSION, { transportId: randomUUID(), producerId: randomUUID() }),
      ),
    ).toBe('404 TRANSPORT_NOT_FOUND');
    const mine = await origin.client.createPipeTransport(SESSION);
    expect(
      await refusal(
        origin.client.pipeConsume(SESSION, { transportId: mine.transportId, producerId: randomUUID() }),
      ),
    ).toBe('404 PRODUCER_NOT_FOUND');
  });
});
