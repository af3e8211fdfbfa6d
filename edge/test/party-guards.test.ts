import { SELF } from 'cloudflare:test';
import { MAX_CLIENT_MESSAGE_BYTES, mintHostToken } from '@dmp-party/protocol';
import { describe, expect, it } from 'vitest';
import { TEST_HOST_SECRET, TEST_LISTENER_CAP } from './constants';
import { listen, newSessionId, PartyClient, startHosting } from './party-client';

const track = { trackId: 'guard-1', title: 'Real', artist: 'Host' };

async function liveParty() {
  const sessionId = newSessionId('guard');
  const host = await PartyClient.host(sessionId);
  await startHosting(host);
  await host.expect('ok', { type: 'nowPlaying', track, positionMs: 0 });
  return { sessionId, host };
}

function expectNoStack(message: Record<string, unknown>) {
  expect(String(message.message)).not.toMatch(/\n\s+at |Error:|\.ts:\d/);
}

describe('who may connect', () => {
  it('refuses a foreign or missing Origin', async () => {
    const sessionId = newSessionId('origin');
    for (const origin of ['https://evil.test', null]) {
      const response = await PartyClient.upgrade(sessionId, { origin });
      expect(response.status).toBe(403);
      expect(response.webSocket).toBeNull();
      expect(await response.json()).toMatchObject({ error: { code: 'ORIGIN_NOT_ALLOWED' } });
    }
  });

  it('refuses a bad, expired or other-session host token instead of downgrading it', async () => {
    const sessionId = newSessionId('token');
    const tokens = [
      await mintHostToken('some-other-secret-0123456789abcdefgh', sessionId),
      await mintHostToken(TEST_HOST_SECRET, sessionId, { ttlMs: 60_000, now: Date.now() - 120_000 }),
      await mintHostToken(TEST_HOST_SECRET, `${sessionId}-other`),
      'v1.garbage.garbage',
    ];
    for (const token of tokens) {
      const response = await PartyClient.upgrade(sessionId, { token, origin: 'https://party.test' });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    }
    const listener = await PartyClient.connect(sessionId);
    expect(listener.received[0]).toMatchObject({ type: 'welcome', role: 'listener', sessionId });
  });

  it('refuses listeners beyond the configured cap', async () => {
    const { sessionId, host } = await liveParty();
    const admitted = [];
    for (let i = 0; i < TEST_LISTENER_CAP; i++) admitted.push(await PartyClient.connect(sessionId));
    const refused = await PartyClient.open(sessionId);
    const error = await refused.next('error');
    expect(error.code).toBe('LISTENER_CAP_REACHED');
    await refused.untilClosed();
    expect(refused.closed?.code).toBe(4029);
    await host.next('listenerCount', (message) => message.count === TEST_LISTENER_CAP);
    const status = await (await SELF.fetch('https://edge.test/api/party/status')).json();
    expect(status).toMatchObject({ listenerCount: TEST_LISTENER_CAP });
    await host.expect('ok', { type: 'endSession' });
  });
});

describe('what a socket may send', () => {
  it('gets pong for ping from the runtime, outside the rate limit and the schemas', async () => {
    const { sessionId, host } = await liveParty();
    const response = await PartyClient.upgrade(sessionId, { origin: 'https://party.test' });
    const ws = response.webSocket;
    if (!ws) throw new Error('upgrade refused');
    ws.accept();
    const frames: string[] = [];
    let arrived: () => void = () => undefined;
    ws.addEventListener('message', (event) => {
      frames.push(String(event.data));
      arrived();
    });
    const pings = 100;
    for (let i = 0; i < pings; i++) ws.send('ping');
    while (frames.filter((frame) => frame === 'pong').length < pings)
      await new Promise<void>((resolve) => {
        arrived = resolve;
      });
    // Besides the pongs: the greeting, and the party's setlist so far (the host is playing).
    expect(frames.filter((frame) => frame !== 'pong').map((frame) => JSON.parse(frame).type)).toEqual([
      'welcome',
      'setlist',
    ]);
    await host.expect('ok', { type: 'endSession' });
  });

  it('answers NOT_HOST to a listener sending host messages, and nothing happens', async () => {
    const { sessionId, host } = await liveParty();
    const attacker = await PartyClient.connect(sessionId);
    const bystander = await PartyClient.connect(sessionId);
    await listen(bystander);
    const forged = { trackId: 'forged', title: 'Forged', artist: 'Attacker' };
    for (const message of [
      { type: 'nowPlaying', track: forged, positionMs: 0 },
      { type: 'pause', positionMs: 1 },
      { type: 'seek', positionMs: 99 },
      { type: 'endSession' },
      { type: 'createSession' },
      { type: 'produce', transportId: crypto.randomUUID(), kind: 'audio', rtpParameters: {} },
    ]) {
      const reply = await attacker.request(message);
      expect(reply).toMatchObject({ type: 'error', code: 'NOT_HOST' });
    }
    // The party is unchanged: the host's next update is the only state the bystander sees.
    await host.expect('ok', { type: 'position', positionMs: 1234 });
    const state = await bystander.next('state');
    expect(state.state).toMatchObject({ nowPlaying: track, positionMs: 1234, paused: false });
    expect(bystander.all('state')).toHaveLength(1);
    const status = await (await SELF.fetch('https://edge.test/api/party/status')).json();
    expect(status).toMatchObject({ live: true, sessionId, nowPlaying: track });
    await host.expect('ok', { type: 'endSession' });
  });

  it('answers malformed, invalid, unknown, binary and oversized frames with error codes', async () => {
    const { sessionId, host } = await liveParty();
    const listener = await PartyClient.connect(sessionId);
    const cases: [string | ArrayBuffer, string][] = [
      ['{not json', 'INVALID_JSON'],
      [JSON.stringify({ type: 'join', reqId: 1, extra: true }), 'VALIDATION_FAILED'],
      [
        JSON.stringify({ type: 'consume', reqId: 2, transportId: 'nope', rtpCapabilities: {} }),
        'VALIDATION_FAILED',
      ],
      [JSON.stringify({ type: 'teleport', reqId: 3 }), 'UNKNOWN_MESSAGE'],
      [JSON.stringify([1, 2, 3]), 'UNKNOWN_MESSAGE'],
      [new Uint8Array([1, 2, 3]).buffer, 'BAD_REQUEST'],
      [
        JSON.stringify({ type: 'join', reqId: 4, pad: 'x'.repeat(MAX_CLIENT_MESSAGE_BYTES) }),
        'PAYLOAD_TOO_LARGE',
      ],
    ];
    for (const [frame, code] of cases) {
      const before = listener.received.length;
      listener.ws.send(frame);
      const error = await listener.next('error', () => true, before);
      expect(error.code).toBe(code);
      expectNoStack(error);
    }
    // A well-formed request with an unknown transport gets a code too, with its reqId.
    const reply = await listener.request({ type: 'resumeConsumer', consumerId: crypto.randomUUID() });
    expect(reply).toMatchObject({ type: 'error', code: 'CONSUMER_NOT_FOUND' });
    const hostReply = await host.request({
      type: 'connectTransport',
      transportId: crypto.randomUUID(),
      dtlsParameters: { fingerprints: [] },
    });
    expect(hostReply).toMatchObject({ type: 'error', code: 'VALIDATION_FAILED' });

    // Still healthy.
    const { joined } = await listen(listener);
    expect(joined.state).toMatchObject({ nowPlaying: track });
    await host.expect('ok', { type: 'endSession' });
  });

  it('rate-limits a burst, answering RATE_LIMITED once rather than per message, and keeps the socket', async () => {
    const { sessionId, host } = await liveParty();
    const flooder = await PartyClient.connect(sessionId, { clientIp: '198.51.100.1' });
    const listener = await PartyClient.connect(sessionId);
    await listen(listener);
    const burst = 200;
    const before = flooder.received.length;
    const sentAt = Date.now();
    for (let i = 0; i < burst; i++)
      flooder.send(JSON.stringify({ type: 'nowPlaying', reqId: i, track, positionMs: 0 }));
    // Wait until the burst is through (a second without a reply).
    const codes = () => flooder.received.slice(before).map((message) => message.code);
    for (let seen = -1; seen !== codes().length; ) {
      seen = codes().length;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const seconds = (Date.now() - sentAt) / 1000;
    // The burst allowance (twice the rate) and what refilled meanwhile are answered; of the rest,
    // only one refusal a second says RATE_LIMITED: far fewer frames than messages.
    const refusals = codes().filter((code) => code === 'RATE_LIMITED').length;
    expect(refusals).toBeGreaterThanOrEqual(1);
    expect(refusals).toBeLessThanOrEqual(Math.ceil(seconds));
    expect(codes().filter((code) => code === 'NOT_HOST').length).toBeGreaterThanOrEqual(40);
    expect(codes().length).toBeLessThan(burst / 2);
    // Then the same socket is served again.
    await flooder.expect('joined', { type: 'join' });
    expect(flooder.closed).toBeUndefined();

    await host.expect('ok', { type: 'seek', positionMs: 777 });
    await listener.next('state', (message) => (message.state as { positionMs: number }).positionMs === 777);
    const late = await PartyClient.connect(sessionId);
    expect((await listen(late)).joined.state).toMatchObject({ nowPlaying: track, positionMs: 777 });
    await host.expect('ok', { type: 'endSession' });
  });

  it('closes a sustained flood with 1008 and keeps that client out for a while; others carry on', async () => {
    const { sessionId, host } = await liveParty();
    const flooderIp = '198.51.100.2';
    const flooder = await PartyClient.connect(sessionId, { clientIp: flooderIp });
    const bystander = await PartyClient.connect(sessionId, { clientIp: '203.0.113.5' });
    await listen(bystander);
    // Enough to pile up the refusals that close it (ten seconds' worth of the rate, after the burst).
    for (let i = 0; i < 500; i++) flooder.send(JSON.stringify({ type: 'position', reqId: i, positionMs: i }));
    await flooder.untilClosed();
    expect(flooder.closed?.code).toBe(1008);

    // Coming straight back is refused with the penalty's length; another address is not.
    const again = await PartyClient.upgrade(sessionId, { clientIp: flooderIp });
    expect(again.status).toBe(429);
    expect(again.webSocket).toBeNull();
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThanOrEqual(4);
    expect(Number(again.headers.get('retry-after'))).toBeLessThanOrEqual(5);
    expect(await again.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    const other = await PartyClient.connect(sessionId, { clientIp: '203.0.113.6' });
    await other.expect('joined', { type: 'join' });

    await host.expect('ok', { type: 'seek', positionMs: 4242 });
    await bystander.next('state', (message) => (message.state as { positionMs: number }).positionMs === 4242);
    expect(bystander.all('error')).toEqual([]);
    await host.expect('ok', { type: 'endSession' });
  });
});
