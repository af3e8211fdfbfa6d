/**
 * Starts a real media node (real mediasoup workers) on 127.0.0.1 in Node, for the edge tests
 * that run inside workerd: the worker and its Durable Objects reach it over HTTP like production.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { TestProject } from 'vitest/node';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The media node's logger reads its level when first imported.
  process.env.MEDIA_NODE_LOG_LEVEL ??= 'silent';
  const { loadConfig } = await import('../../media-node/src/config');
  const { startMediaNode } = await import('../../media-node/src/media-node');
  const { ensureWorkerBinary } = await import('../../media-node/worker-build/build-worker');
  const secret = randomBytes(32).toString('hex');
  const { rtcPortBlock } = await import('../../media-node/test-support/ports');
  const rtc = rtcPortBlock('edgeTests');
  const node = await startMediaNode(
    loadConfig({
      MEDIA_NODE_SECRET: secret,
      MEDIASOUP_WORKERS: '2',
      RTC_MIN_PORT: String(rtc.min),
      RTC_MAX_PORT: String(rtc.max),
      MEDIA_NODE_LOG_LEVEL: 'silent',
    }),
    await ensureWorkerBinary(),
  );
  const server = serve({ fetch: node.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  project.provide('mediaNodeUrl', `http://127.0.0.1:${port}`);
  project.provide('mediaNodeSecret', secret);

  // Lets a test kill a real mediasoup worker (SIGKILL), as a crash would.
  const control = createServer((request, response) => {
    const match = /^\/kill-worker\/(\d+)$/.exec(request.url ?? '');
    const slot = match && request.method === 'POST' ? node.pool.slots[Number(match[1])] : undefined;
    if (!slot) {
      response.writeHead(404).end();
      return;
    }
    process.kill(slot.worker.pid, 'SIGKILL');
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ pid: slot.worker.pid }));
  });
  control.listen(0, '127.0.0.1');
  await once(control, 'listening');
  project.provide('controlUrl', `http://127.0.0.1:${(control.address() as AddressInfo).port}`);

  return async () => {
    control.close();
    server.close();
    await node.close();
  };
}
