/**
 * Starts a real media node (real mediasoup workers) on 127.0.0.1 in Node, for the edge tests
 * that run inside workerd: the worker and its Durable Objects reach it over HTTP like production.
 */
import { randomBytes } from 'node:crypto';
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
  const base = 30_000 + Math.floor(Math.random() * 20) * 500;
  const node = await startMediaNode(
    loadConfig({
      MEDIA_NODE_SECRET: secret,
      MEDIASOUP_WORKERS: '1',
      RTC_MIN_PORT: String(base),
      RTC_MAX_PORT: String(base + 499),
      MEDIA_NODE_LOG_LEVEL: 'silent',
    }),
    await ensureWorkerBinary(),
  );
  const server = serve({ fetch: node.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  project.provide('mediaNodeUrl', `http://127.0.0.1:${port}`);
  project.provide('mediaNodeSecret', secret);
  return async () => {
    server.close();
    await node.close();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    mediaNodeUrl: string;
    mediaNodeSecret: string;
  }
}
