import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestNode, type TestNode } from './test-node';

let t: TestNode;
beforeAll(async () => {
  t = await startTestNode(inject('workerBinary'));
});
afterAll(() => t.node.close());

describe('a draining media node', () => {
  it('keeps serving its sessions but takes no new one, saying why', async () => {
    await t.client.createSession('kept-party');
    // Draining waits for the sessions to go; this one stays, so it waits out its time.
    const drained = t.node.drain(300);
    expect(await t.client.load()).toMatchObject({ draining: true, sessions: 1 });
    await expect(t.client.createSession('newcomer')).rejects.toMatchObject({
      status: 503,
      code: 'MEDIA_NODE_UNAVAILABLE',
    });
    // The party already here goes on: a retried create answers the same session, and its
    // listeners still get transports until the edge has moved them.
    await expect(t.client.createSession('kept-party')).resolves.toMatchObject({ sessionId: 'kept-party' });
    await expect(t.client.openReceiver('kept-party', { peerId: 'listener' })).resolves.toMatchObject({
      connected: false,
    });
    await drained;
    expect((await t.client.load()).sessions).toBe(1);
  });
});
