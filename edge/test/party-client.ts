/**
 * A signaling-only party client for tests inside workerd: opens the edge WebSocket through the
 * worker's own fetch handler, sends requests with `reqId`s and waits for replies and events.
 */

import { env, SELF } from 'cloudflare:test';
import {
  importSigningKey,
  MEDIA_EVENTS_PATH,
  MediaApiClient,
  type MediaNodeEvent,
  mintHostToken,
  type ServerMessage,
  signRequest,
} from '@dmp-party/protocol';
import { TEST_ALLOWED_ORIGIN, TEST_HOST_SECRET } from './constants';

type Message = ServerMessage & Record<string, unknown>;

interface UpgradeOptions {
  token?: string | undefined;
  origin?: string | null;
  clientIp?: string;
}

export class PartyClient {
  readonly received: Message[] = [];
  closed: { code: number; reason: string } | undefined;
  #waiters: { match: (message: Message) => boolean; resolve: (message: Message) => void }[] = [];
  #conditions: { check: () => boolean; resolve: () => void }[] = [];
  #closeWaiters: (() => void)[] = [];
  #nextReqId = 1;

  constructor(readonly ws: WebSocket) {
    ws.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as Message;
      this.received.push(message);
      this.#waiters = this.#waiters.filter((waiter) => {
        if (!waiter.match(message)) return true;
        waiter.resolve(message);
        return false;
      });
      this.#conditions = this.#conditions.filter((condition) => {
        if (!condition.check()) return true;
        condition.resolve();
        return false;
      });
    });
    ws.addEventListener('close', (event) => {
      this.closed = { code: event.code, reason: event.reason };
      for (const resolve of this.#closeWaiters) resolve();
    });
  }

  /** Opens a socket; `token` makes it a host. Throws with the HTTP status when refused. */
  static async connect(sessionId: string, options: UpgradeOptions = {}): Promise<PartyClient> {
    const client = await PartyClient.open(sessionId, options);
    await client.next('welcome');
    return client;
  }

  /** Opens a socket without waiting for `welcome`. */
  static async open(sessionId: string, options: UpgradeOptions = {}): Promise<PartyClient> {
    const response = await PartyClient.upgrade(sessionId, options);
    const ws = response.webSocket;
    if (!ws) throw new Error(`upgrade refused: ${response.status} ${await response.text()}`);
    ws.accept();
    return new PartyClient(ws);
  }

  /** Resolves once `check` holds, re-checking as messages arrive. */
  until(check: () => boolean): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve) => this.#conditions.push({ check, resolve }));
  }

  /** Messages of `type` received so far. */
  all(type: string): Message[] {
    return this.received.filter((message) => message.type === type);
  }

  /** `clientIp` plays Cloudflare's `CF-Connecting-IP` (who the client is, for penalties). */
  static upgrade(sessionId: string, { token, origin = TEST_ALLOWED_ORIGIN, clientIp }: UpgradeOptions = {}) {
    const headers: Record<string, string> = { upgrade: 'websocket' };
    if (origin) headers.origin = origin;
    if (clientIp) headers['cf-connecting-ip'] = clientIp;
    const query = token === undefined ? '' : `?token=${encodeURIComponent(token)}`;
    return SELF.fetch(`https://edge.test/party/${sessionId}/ws${query}`, { headers });
  }

  static async host(sessionId: string): Promise<PartyClient> {
    return PartyClient.connect(sessionId, { token: await mintHostToken(TEST_HOST_SECRET, sessionId) });
  }

  /** Resolves with the first message (already received after `since`, or future) that matches. */
  next(type: string, match: (message: Message) => boolean = () => true, since = 0): Promise<Message> {
    const predicate = (message: Message) => message.type === type && match(message);
    const found = this.received.slice(since).find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.#waiters.push({ match: predicate, resolve }));
  }

  /** Sends a request and resolves with its reply or error. */
  async request(message: Record<string, unknown>): Promise<Message> {
    const reqId = this.#nextReqId++;
    const reply = new Promise<Message>((resolve) =>
      this.#waiters.push({ match: (candidate) => candidate.reqId === reqId, resolve }),
    );
    this.ws.send(JSON.stringify({ ...message, reqId }));
    return reply;
  }

  /** Like `request`, but fails unless the reply has `type`. */
  async expect(type: string, message: Record<string, unknown>): Promise<Message> {
    const reply = await this.request(message);
    if (reply.type !== type) throw new Error(`expected ${type}, got ${JSON.stringify(reply)}`);
    return reply;
  }

  send(text: string): void {
    this.ws.send(text);
  }

  close(code = 1000): Promise<void> {
    const closed = this.untilClosed();
    this.ws.close(code, 'bye');
    return closed;
  }

  untilClosed(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => this.#closeWaiters.push(resolve));
  }
}

/** A signed client for the same media node the worker uses, to check its side of things. */
export function mediaNode(): MediaApiClient {
  return new MediaApiClient(env.MEDIA_NODE_URL, env.MEDIA_NODE_SECRET, (url, init) => fetch(url, init));
}

/** Posts events to the edge as the media node does (signed with the media node's secret). */
export async function postMediaEvents(events: MediaNodeEvent[], secret = env.MEDIA_NODE_SECRET) {
  const body = JSON.stringify({ events });
  const headers = await signRequest(await importSigningKey(secret), 'POST', MEDIA_EVENTS_PATH, body);
  return SELF.fetch(`https://edge.test${MEDIA_EVENTS_PATH}`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body,
  });
}

let counter = 0;
/** A party id unique to this test run. */
export function newSessionId(prefix = 'party'): string {
  counter += 1;
  return `${prefix}-${counter}-${crypto.randomUUID().slice(0, 8)}`;
}

/** A well-formed (fake) DTLS fingerprint: the media node accepts it; no handshake ever happens. */
export const FAKE_DTLS = {
  role: 'client',
  fingerprints: [
    {
      algorithm: 'sha-256',
      value: Array.from({ length: 32 }, (_, i) =>
        (i * 7 + 16).toString(16).toUpperCase().padStart(2, '0'),
      ).join(':'),
    },
  ],
} as const;

/** Opus producer parameters as a browser would send them (stereo music). */
export function opusRtpParameters(ssrc = 11_111_111) {
  return {
    mid: '0',
    codecs: [
      {
        mimeType: 'audio/opus',
        payloadType: 111,
        clockRate: 48_000,
        channels: 2,
        parameters: { 'sprop-stereo': 1, stereo: 1, useinbandfec: 1, usedtx: 0 },
      },
    ],
    encodings: [{ ssrc, maxBitrate: 128_000 }],
  };
}

/** Host flow: create the session, a send transport, connect it, produce. */
export async function startHosting(host: PartyClient) {
  const created = await host.expect('sessionCreated', { type: 'createSession' });
  const producerId = await produce(host);
  return { created, producerId };
}

export async function produce(host: PartyClient, ssrc?: number): Promise<string> {
  const transport = await host.expect('transportCreated', { type: 'createTransport', direction: 'send' });
  await host.expect('ok', {
    type: 'connectTransport',
    transportId: transport.transportId,
    dtlsParameters: FAKE_DTLS,
  });
  const produced = await host.expect('produced', {
    type: 'produce',
    transportId: transport.transportId,
    kind: 'audio',
    rtpParameters: opusRtpParameters(ssrc),
  });
  return String(produced.producerId);
}

/** Listener flow: join, recv transport, connect, consume the current producer, resume. */
export async function listen(listener: PartyClient) {
  const joined = await listener.expect('joined', { type: 'join' });
  const transport = await listener.expect('transportCreated', { type: 'createRecvTransport' });
  await listener.expect('ok', {
    type: 'connectTransport',
    transportId: transport.transportId,
    dtlsParameters: FAKE_DTLS,
  });
  const consumed = await listener.expect('consumed', {
    type: 'consume',
    transportId: transport.transportId,
    rtpCapabilities: joined.routerRtpCapabilities,
  });
  await listener.expect('ok', { type: 'resumeConsumer', consumerId: consumed.consumerId });
  return { joined, transportId: String(transport.transportId), consumed };
}

/** A live party: the host producing, one listener consuming. */
export async function partyWithListener(prefix: string) {
  const sessionId = newSessionId(prefix);
  const host = await PartyClient.host(sessionId);
  await startHosting(host);
  const listener = await PartyClient.connect(sessionId);
  await listen(listener);
  return { sessionId, host, listener };
}
