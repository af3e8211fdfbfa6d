/**
 * The edge under `wrangler dev` (workerd behind real TCP sockets) with Node `ws` clients: what the
 * in-workerd tests cannot do is drop a TCP connection without a close frame, as a phone losing its
 * network does. The listener count must still follow.
 */
import { randomBytes } from 'node:crypto';
import { type MediaNodeServer, startMediaNodeServer } from '@dmp-party/harness/media-node';
import { WranglerDev } from '@dmp-party/harness/wrangler-dev';
import { type MediaApiClient, mintHostToken } from '@dmp-party/protocol';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';

const ORIGIN = 'http://e2e.local';
const HOST_SECRET = randomBytes(32).toString('hex');

let mediaServer: MediaNodeServer;
let edge: WranglerDev;
let media: MediaApiClient;

beforeAll(async () => {
  mediaServer = await startMediaNodeServer({ workerBinary: inject('workerBinary'), portOwner: 'edgeE2e' });
  media = mediaServer.client;
  edge = await WranglerDev.start({
    PARTY_HOST_SECRET: HOST_SECRET,
    MEDIA_NODE_SECRET: mediaServer.secret,
    MEDIA_NODE_URL: mediaServer.url,
    ALLOWED_ORIGINS: ORIGIN,
  });
});

afterAll(async () => {
  await edge?.stop();
  await mediaServer?.stop();
});

/** A `ws` client that keeps every message and resolves waits as they arrive. */
function connect(
  url: string,
): Promise<{ ws: WebSocket; until: (check: (m: Record<string, unknown>[]) => boolean) => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: { origin: ORIGIN } });
    const messages: Record<string, unknown>[] = [];
    const waits: { check: (m: Record<string, unknown>[]) => boolean; resolve: () => void }[] = [];
    ws.on('message', (data) => {
      messages.push(JSON.parse(String(data)) as Record<string, unknown>);
      for (const wait of waits.splice(0)) {
        if (wait.check(messages)) wait.resolve();
        else waits.push(wait);
      }
    });
    const until = (check: (m: Record<string, unknown>[]) => boolean) =>
      check(messages) ? Promise.resolve() : new Promise<void>((done) => waits.push({ check, resolve: done }));
    ws.once('open', () => resolve({ ws, until }));
    ws.once('error', reject);
  });
}

const lastCount = (messages: Record<string, unknown>[]) =>
  messages.filter((message) => message.type === 'listenerCount').at(-1)?.count;

describe('listeners whose connection drops without a close frame', () => {
  it('leave the count, and the party carries on', async () => {
    const sessionId = `e2e-${randomBytes(4).toString('hex')}`;
    const wsUrl = `${edge.url.replace(/^http/, 'ws')}/party/${sessionId}/ws`;
    const host = await connect(`${wsUrl}?token=${await mintHostToken(HOST_SECRET, sessionId)}`);
    host.ws.send(JSON.stringify({ type: 'createSession', reqId: 1 }));
    await host.until((messages) => messages.some((message) => message.type === 'sessionCreated'));

    const listeners = await Promise.all(Array.from({ length: 6 }, () => connect(wsUrl)));
    await host.until((messages) => lastCount(messages) === 6);

    // terminate(): the TCP socket is destroyed, no WebSocket close frame is sent.
    for (const listener of listeners.slice(0, 4)) listener.ws.terminate();
    await host.until((messages) => lastCount(messages) === 2);

    host.ws.send(
      JSON.stringify({ type: 'nowPlaying', reqId: 2, track: { trackId: 'x', title: 'X', artist: 'Y' } }),
    );
    for (const listener of listeners.slice(4))
      await listener.until((messages) => messages.some((message) => message.type === 'state'));
    const status = (await (await fetch(`${edge.url}/api/party/status`)).json()) as Record<string, unknown>;
    expect(status).toMatchObject({ live: true, sessionId, listenerCount: 2 });

    host.ws.send(JSON.stringify({ type: 'endSession', reqId: 3 }));
    await listeners[4]?.until((messages) => messages.some((message) => message.type === 'sessionEnded'));
    await expect(media.sessionStats(sessionId)).rejects.toMatchObject({ status: 404 });
  });
});
