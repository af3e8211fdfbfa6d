import { randomBytes } from 'node:crypto';
import { rtcPortBlock } from '@dmp-party/harness/ports';
import { MediaApiClient } from '@dmp-party/protocol';
import { loadConfig } from '../src/config';
import { type MediaNode, startMediaNode } from '../src/media-node';

export interface TestNode {
  node: MediaNode;
  client: MediaApiClient;
  secret: string;
  /** Sends a raw request to the in-process app (for malformed and unsigned requests). */
  request: (path: string, init?: RequestInit) => Promise<Response>;
}

/**
 * Starts a real media node (real mediasoup workers) in this process on a random port block, and a
 * signed client that talks to its Hono app through `app.request`.
 */
export async function startTestNode(
  workerBinary: string,
  env: Record<string, string> = {},
): Promise<TestNode> {
  const secret = randomBytes(32).toString('hex');
  const rtc = rtcPortBlock('mediaNodeTests');
  const config = loadConfig({
    MEDIA_NODE_SECRET: secret,
    MEDIASOUP_WORKERS: '2',
    RTC_MIN_PORT: String(rtc.min),
    RTC_MAX_PORT: String(rtc.max),
    MEDIA_NODE_LOG_LEVEL: 'error',
    ...env,
  });
  const node = await startMediaNode(config, workerBinary);
  const request = async (path: string, init?: RequestInit) =>
    node.app.request(`http://media.test${path}`, init);
  const client = new MediaApiClient('http://media.test', secret, async (url, init) =>
    node.app.request(url, init),
  );
  return { node, client, secret, request };
}

/** Waits until `check` returns a value (polling), or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
