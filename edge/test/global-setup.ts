/**
 * Starts a real media node (real mediasoup workers) on 127.0.0.1 in Node, for the edge tests
 * that run inside workerd: the worker and its Durable Objects reach it over HTTP like production.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The media node's logger reads its level when first imported.
  process.env.MEDIA_NODE_LOG_LEVEL ??= 'silent';
  const { ensureWorkerBinary } = await import('@dmp-party/media-node/worker-build');
  const { startMediaNodeServer } = await import('@dmp-party/harness/media-node');
  const media = await startMediaNodeServer({
    workerBinary: await ensureWorkerBinary(),
    portOwner: 'edgeTests',
    workers: 2,
  });
  const { node } = media;
  project.provide('mediaNodeUrl', media.url);
  project.provide('mediaNodeSecret', media.secret);

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
    await media.stop();
  };
}
