import {
  importSigningKey,
  NONCE_HEADER,
  SIGNATURE_HEADER,
  signRequest,
  TIMESTAMP_HEADER,
} from '@dmp-party/protocol';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestNode, type TestNode } from './test-node';

const UUID = '00000000-0000-4000-8000-000000000000';
/** Every /v1 route, with a body where it takes one. */
const ROUTES: [method: string, path: string, body?: unknown][] = [
  ['POST', '/v1/sessions', { sessionId: 'auth-test' }],
  ['GET', '/v1/sessions'],
  ['GET', '/v1/sessions/auth-test'],
  ['DELETE', '/v1/sessions/auth-test'],
  ['POST', '/v1/sessions/auth-test/rebuild-ack'],
  ['POST', '/v1/sessions/auth-test/transports', { type: 'webrtc', peerId: 'p', direction: 'send' }],
  ['POST', `/v1/sessions/auth-test/transports/${UUID}/connect`, { ip: '127.0.0.1', port: 9 }],
  ['DELETE', `/v1/sessions/auth-test/transports/${UUID}`],
  ['POST', '/v1/sessions/auth-test/producers', {}],
  ['DELETE', `/v1/sessions/auth-test/producers/${UUID}`],
  ['POST', '/v1/sessions/auth-test/consumers', {}],
  ['POST', `/v1/sessions/auth-test/consumers/${UUID}/resume`],
  ['DELETE', `/v1/sessions/auth-test/consumers/${UUID}`],
  ['GET', '/v1/workers'],
];

let t: TestNode;
beforeAll(async () => {
  t = await startTestNode(inject('workerBinary'));
});
afterAll(() => t.node.close());

async function send(method: string, path: string, body: unknown, headers: Record<string, string>) {
  const text = body === undefined ? '' : JSON.stringify(body);
  return t.request(path, { method, headers, ...(body === undefined ? {} : { body: text }) });
}

async function expectBare401(response: Response) {
  expect(response.status).toBe(401);
  expect(await response.json()).toEqual({ error: { code: 'UNAUTHORIZED', message: 'unauthorized' } });
}

describe.each(ROUTES)('%s %s', (method, path, body) => {
  const text = body === undefined ? '' : JSON.stringify(body);

  it('refuses an unsigned request', async () => {
    await expectBare401(await send(method, path, body, {}));
  });

  it('refuses a request signed with another secret', async () => {
    const wrongKey = await importSigningKey('w'.repeat(64));
    await expectBare401(await send(method, path, body, await signRequest(wrongKey, method, path, text)));
  });

  it('refuses a signature over a different body', async () => {
    const key = await importSigningKey(t.secret);
    const headers = await signRequest(key, method, path, `${text} `);
    await expectBare401(await send(method, path, body, headers));
  });

  it('refuses a stale request', async () => {
    const key = await importSigningKey(t.secret);
    await expectBare401(
      await send(method, path, body, await signRequest(key, method, path, text, Date.now() - 60_000)),
    );
  });

  it('accepts a fresh signature once and refuses its replay', async () => {
    const key = await importSigningKey(t.secret);
    const headers = await signRequest(key, method, path, text);
    const first = await send(method, path, body, headers);
    expect(first.status).not.toBe(401);
    await expectBare401(await send(method, path, body, headers));
  });
});

describe('unauthenticated endpoints', () => {
  it('serves /health without details and /metrics as Prometheus text', async () => {
    const health = await t.request('/health');
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const metrics = await t.request('/metrics');
    expect(metrics.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await metrics.text();
    expect(text).toMatch(/^mediasoup_workers 2$/m);
    expect(text).toMatch(/^mediasoup_consumers \d+$/m);
    expect(text).toMatch(/^mediasoup_bytes_sent \d+$/m);
  });

  it('does not accept the signature headers as a way around a wrong timestamp format', async () => {
    const response = await t.request('/v1/workers', {
      headers: { [SIGNATURE_HEADER]: 'a'.repeat(64), [TIMESTAMP_HEADER]: 'soon', [NONCE_HEADER]: 'n' },
    });
    await expectBare401(response);
  });
});
