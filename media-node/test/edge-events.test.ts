/**
 * The media node tells the edge at once: a session rebuilt after its worker died (here the node's
 * only worker, so the rebuild waits for the replacement), and a node start. A small HTTP server
 * stands in for the edge's route and checks every signature as the edge does.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  importSigningKey,
  MEDIA_EVENTS_PATH,
  MediaEventsRequestSchema,
  type MediaNodeEvent,
  verifySignedRequest,
} from '@dmp-party/protocol';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually, startTestNode, type TestNode } from './test-node';

const received: MediaNodeEvent[] = [];
let refuseNext = 0;
let attempts = 0;
let t: TestNode;
const edge = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk) => {
    body += chunk;
  });
  request.on('end', async () => {
    attempts++;
    const verified = await verifySignedRequest(await importSigningKey(t.secret), {
      method: request.method ?? '',
      path: request.url ?? '',
      body,
      header: (name) => request.headers[name] as string | undefined,
    });
    if (refuseNext > 0) {
      refuseNext--;
      response.writeHead(503).end();
      return;
    }
    if (!verified) {
      response.writeHead(401).end();
      return;
    }
    received.push(...MediaEventsRequestSchema.parse(JSON.parse(body)).events);
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"delivered":1}');
  });
});

beforeAll(async () => {
  edge.listen(0, '127.0.0.1');
  await once(edge, 'listening');
  const { port } = edge.address() as AddressInfo;
  t = await startTestNode(inject('workerBinary'), {
    MEDIASOUP_WORKERS: '1',
    EDGE_EVENTS_URL: `http://127.0.0.1:${port}${MEDIA_EVENTS_PATH}`,
  });
});

afterAll(async () => {
  await t?.node.close();
  edge.close();
});

describe('events to the edge', () => {
  it('announces a start, retrying while the edge is not answering', async () => {
    refuseNext = 2;
    const before = attempts;
    t.node.announceStart();
    const started = await eventually(() => received.find((event) => event.type === 'nodeStarted'));
    expect(started).toMatchObject({ type: 'nodeStarted', bootId: expect.any(String) });
    expect(attempts - before).toBe(3);
  });

  it('reports a session rebuilt after its only worker died, on the replacement worker', async () => {
    await t.client.createSession('lonely');
    const { workers } = await t.client.workers();
    expect(workers).toHaveLength(1);
    process.kill(workers[0]?.pid ?? 0, 'SIGKILL');

    const rebuilt = await eventually(() => received.find((event) => event.type === 'sessionRebuilt'));
    expect(rebuilt).toEqual({ type: 'sessionRebuilt', sessionId: 'lonely', generation: 1 });
    // The media path works again: a send transport on the replacement worker.
    const transport = await t.client.createTransport('lonely', {
      type: 'webrtc',
      peerId: 'host',
      direction: 'send',
    });
    expect(transport.type).toBe('webrtc');
    const after = await t.client.workers();
    expect(after.workers[0]?.pid).not.toBe(workers[0]?.pid);
    expect(await t.client.sessionStats('lonely')).toMatchObject({ generation: 1, needsRebuild: true });
  });
});
