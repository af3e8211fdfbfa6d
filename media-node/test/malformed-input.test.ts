import { startPlainProducer } from '@dmp-party/harness/rtp';
import { importSigningKey, MEDIA_API_MAX_BODY_BYTES, signRequest } from '@dmp-party/protocol';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestNode, type TestNode } from './test-node';

let t: TestNode;
let sendTransportId: string;
let recvTransportId: string;
let webRtcTransportId: string;
let producerId: string;
let workerPids: number[];

beforeAll(async () => {
  t = await startTestNode(inject('workerBinary'));
  await t.client.createSession('bad-input');
  const producer = await startPlainProducer(t.client, 'bad-input');
  producer.sender.close();
  sendTransportId = producer.transportId;
  producerId = producer.producerId;
  const recv = await t.client.createTransport('bad-input', {
    type: 'plain',
    peerId: 'l',
    direction: 'recv',
    srtp: true,
    comedia: false,
  });
  recvTransportId = recv.transportId;
  const webRtc = await t.client.createTransport('bad-input', {
    type: 'webrtc',
    peerId: 'b',
    direction: 'recv',
  });
  webRtcTransportId = webRtc.transportId;
  workerPids = (await t.client.workers()).workers.map((worker) => worker.pid);
});
afterAll(() => t.node.close());

/** Sends a correctly signed request with an arbitrary (possibly malformed) raw body. */
async function signedRaw(method: string, path: string, body: string) {
  const headers = await signRequest(await importSigningKey(t.secret), method, path, body);
  const response = await t.request(path, {
    method,
    headers: { ...headers, 'content-type': 'application/json' },
    ...(body ? { body } : {}),
  });
  return {
    status: response.status,
    body: (await response.json()) as { error?: { code: string; message: string } },
  };
}

const fingerprint = { algorithm: 'sha-256', value: Array(32).fill('AB').join(':') };

describe('malformed requests get a 4xx with a code and never reach mediasoup', () => {
  const cases: [name: string, path: () => string, body: unknown, status: number, code: string][] = [
    ['missing sessionId', () => '/v1/sessions', {}, 400, 'VALIDATION_FAILED'],
    ['session id of the wrong type', () => '/v1/sessions', { sessionId: 42 }, 400, 'VALIDATION_FAILED'],
    ['session id with a slash', () => '/v1/sessions', { sessionId: 'a/../b' }, 400, 'VALIDATION_FAILED'],
    ['unknown field', () => '/v1/sessions', { sessionId: 'abcdef', admin: true }, 400, 'VALIDATION_FAILED'],
    [
      'unknown transport type',
      () => '/v1/sessions/bad-input/transports',
      { type: 'pipe', peerId: 'x', direction: 'send' },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'empty DTLS fingerprints',
      () => `/v1/sessions/bad-input/transports/${webRtcTransportId}/connect`,
      { dtlsParameters: { role: 'client', fingerprints: [] } },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'a fingerprint that is not hex',
      () => `/v1/sessions/bad-input/transports/${webRtcTransportId}/connect`,
      { dtlsParameters: { fingerprints: [{ algorithm: 'sha-256', value: 'zz' }] } },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'DTLS parameters for a plain transport',
      () => `/v1/sessions/bad-input/transports/${recvTransportId}/connect`,
      { dtlsParameters: { fingerprints: [fingerprint] } },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'SRTP transport connected without a key',
      () => `/v1/sessions/bad-input/transports/${recvTransportId}/connect`,
      { ip: '127.0.0.1', port: 5000 },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'port out of range',
      () => `/v1/sessions/bad-input/transports/${recvTransportId}/connect`,
      { ip: '127.0.0.1', port: 70_000 },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'rtpParameters with no codecs',
      () => '/v1/sessions/bad-input/producers',
      { transportId: '00000000-0000-4000-8000-000000000000', kind: 'audio', rtpParameters: { codecs: [] } },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'payload type out of range',
      () => '/v1/sessions/bad-input/producers',
      {
        transportId: '00000000-0000-4000-8000-000000000000',
        kind: 'audio',
        rtpParameters: { codecs: [{ mimeType: 'audio/opus', payloadType: 300, clockRate: 48000 }] },
      },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'unknown session',
      () => '/v1/sessions/no-such-session/transports',
      { type: 'webrtc', peerId: 'p', direction: 'recv' },
      404,
      'SESSION_NOT_FOUND',
    ],
    [
      'unknown transport',
      () => '/v1/sessions/bad-input/transports/00000000-0000-4000-8000-000000000000/connect',
      { ip: '127.0.0.1', port: 5000 },
      404,
      'TRANSPORT_NOT_FOUND',
    ],
    [
      'unknown producer',
      () => '/v1/sessions/bad-input/consumers',
      () => ({
        transportId: recvTransportId,
        producerId: '00000000-0000-4000-8000-000000000000',
        rtpCapabilities: {},
      }),
      404,
      'PRODUCER_NOT_FOUND',
    ],
    [
      'consuming on a send transport',
      () => '/v1/sessions/bad-input/consumers',
      () => ({ transportId: sendTransportId, producerId, rtpCapabilities: {} }),
      409,
      'WRONG_STATE',
    ],
    [
      'capabilities that cannot receive Opus',
      () => '/v1/sessions/bad-input/consumers',
      () => ({ transportId: recvTransportId, producerId, rtpCapabilities: { codecs: [] } }),
      400,
      'CANNOT_CONSUME',
    ],
    [
      'an ICE restart of a plain transport (it has no ICE)',
      () => `/v1/sessions/bad-input/transports/${recvTransportId}/restart-ice`,
      undefined,
      409,
      'WRONG_STATE',
    ],
    [
      'an ICE restart of an unknown transport',
      () => '/v1/sessions/bad-input/transports/8a3f1c52-3b7e-4d8a-9f00-0123456789ab/restart-ice',
      undefined,
      404,
      'TRANSPORT_NOT_FOUND',
    ],
    [
      'a malformed id in the path',
      () => '/v1/sessions/bad-input/consumers/not-a-uuid/resume',
      undefined,
      400,
      'VALIDATION_FAILED',
    ],
  ];

  it.each(cases)('%s', async (_name, path, body, status, code) => {
    // Bodies naming ids are thunks: the ids exist only once beforeAll has run.
    const value = typeof body === 'function' ? body() : body;
    const response = await signedRaw('POST', path(), value === undefined ? '' : JSON.stringify(value));
    expect(response.status, JSON.stringify(response.body)).toBe(status);
    expect(response.body.error?.code).toBe(code);
    expect(JSON.stringify(response.body)).not.toMatch(/\bat .*\.(ts|js):\d+/);
  });

  it('refuses invalid JSON', async () => {
    const response = await signedRaw('POST', '/v1/sessions', '{"sessionId": ');
    expect(response).toMatchObject({ status: 400, body: { error: { code: 'INVALID_JSON' } } });
  });

  it('refuses an oversized body with 413', async () => {
    const huge = JSON.stringify({ sessionId: 'x'.repeat(MEDIA_API_MAX_BODY_BYTES) });
    const response = await signedRaw('POST', '/v1/sessions', huge);
    expect(response).toMatchObject({ status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE' } } });
  });

  it('refuses connecting a transport twice with 409', async () => {
    const first = await signedRaw(
      'POST',
      `/v1/sessions/bad-input/transports/${webRtcTransportId}/connect`,
      JSON.stringify({ dtlsParameters: { role: 'client', fingerprints: [fingerprint] } }),
    );
    expect(first.status).toBe(200);
    const second = await signedRaw(
      'POST',
      `/v1/sessions/bad-input/transports/${webRtcTransportId}/connect`,
      JSON.stringify({ dtlsParameters: { role: 'client', fingerprints: [fingerprint] } }),
    );
    expect(second).toMatchObject({ status: 409, body: { error: { code: 'WRONG_STATE' } } });
  });

  it('restarts ICE of a WebRTC transport: new credentials, the same transport', async () => {
    const before = await t.client.sessionStats('bad-input');
    const { iceParameters } = await t.client.restartIce('bad-input', webRtcTransportId);
    const again = await t.client.restartIce('bad-input', webRtcTransportId);
    expect(iceParameters.usernameFragment).toMatch(/\S{8,}/);
    expect(again.iceParameters.usernameFragment).not.toBe(iceParameters.usernameFragment);
    expect(again.iceParameters.password).not.toBe(iceParameters.password);
    expect((await t.client.sessionStats('bad-input')).transports).toBe(before.transports);
  });

  it('leaves every worker alive and the session usable', async () => {
    const { workers } = await t.client.workers();
    expect(workers.map((worker) => worker.pid)).toEqual(workerPids);
    expect(workers.every((worker) => worker.alive)).toBe(true);
    for (const pid of workerPids) expect(() => process.kill(pid, 0)).not.toThrow();
    const stats = await t.client.sessionStats('bad-input');
    expect(stats.producers).toBe(1);
  });
});
