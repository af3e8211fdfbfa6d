/**
 * One Durable Object per party (named by session id), on the WebSocket Hibernation API. Host and
 * listener sockets are told apart by tag; each socket's identity and media ids live in its
 * attachment; session and playback state live in storage and are reloaded on every wake.
 */

import { DurableObject } from 'cloudflare:workers';
import {
  type DtlsParameters,
  type ErrorCode,
  type HostMessage,
  type ListenerMessage,
  MediaApiError,
  type PlaybackState,
  PROTOCOL_VERSION,
  type RequestId,
  type RtpCapabilities,
  type ServerMessage,
} from '@dmp-party/protocol';
import { type Env, type PartySettings, partySettings } from './env';
import { parseInbound, RateLimiter, type Role } from './inbound';
import { mediaNodeFor } from './media';
import { DIRECTORY_NAME } from './party-directory';
import { turnIceServers } from './turn';

/** Set by the worker only: the role it admitted the socket as, and the party id. */
export const ROLE_HEADER = 'x-dmp-party-role';
export const SESSION_HEADER = 'x-dmp-party-session';

/** Close codes sent to clients. */
export const CLOSE_REPLACED = 4001;
export const CLOSE_LISTENER_CAP = 4029;
export const CLOSE_SESSION_ENDED = 4000;

/** How long listener-count changes are gathered before the host is told (coalescing). */
const COUNT_COALESCE_MS = 25;
/** Consumer ids kept per listener attachment (attachments are limited to 16 KiB). */
const MAX_TRACKED_IDS = 16;

interface SessionRecord {
  sessionId: string;
  status: 'live' | 'ended';
  generation: number;
  routerRtpCapabilities: RtpCapabilities;
  producerId: string | null;
  hostConnected: boolean;
}

interface Attachment {
  role: Role;
  peerId: string;
  transportIds: string[];
  consumerIds: string[];
}

export interface PartyStatus {
  live: boolean;
  sessionId: string | null;
  listenerCount: number;
  hostConnected: boolean;
  nowPlaying: PlaybackState['nowPlaying'];
  paused: boolean;
}

/** An expected failure of a request: answered with an error frame carrying `code`. */
class RequestError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const initialPlayback = (): PlaybackState => ({
  nowPlaying: null,
  paused: true,
  positionMs: 0,
  positionAt: Date.now(),
});

export class PartySession extends DurableObject<Env> {
  #sessionId: string | null = null;
  #session: SessionRecord | null = null;
  #playback: PlaybackState = initialPlayback();
  readonly #settings: PartySettings;
  readonly #limiter: RateLimiter;
  #countTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#settings = partySettings(env);
    this.#limiter = new RateLimiter(this.#settings.ratePerSecond);
    // Answered by the runtime without waking the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('ping', 'pong'));
    // In-memory state is lost on hibernation or eviction: rebuild it from storage on every start.
    void ctx.blockConcurrencyWhile(async () => {
      this.#sessionId = (await ctx.storage.get<string>('sessionId')) ?? null;
      this.#session = (await ctx.storage.get<SessionRecord>('session')) ?? null;
      this.#playback = (await ctx.storage.get<PlaybackState>('playback')) ?? initialPlayback();
    });
  }

  // --- Entry points --------------------------------------------------------------------------

  override async fetch(request: Request): Promise<Response> {
    const role = request.headers.get(ROLE_HEADER);
    const sessionId = request.headers.get(SESSION_HEADER);
    if (
      (role !== 'host' && role !== 'listener') ||
      !sessionId ||
      request.headers.get('upgrade') !== 'websocket'
    )
      return new Response('bad request', { status: 400 });
    if (this.#sessionId !== sessionId) {
      this.#sessionId = sessionId;
      await this.ctx.storage.put('sessionId', sessionId);
    }
    const { 0: client, 1: server } = new WebSocketPair();

    if (role === 'listener' && this.#listenerCount() >= this.#settings.listenerCap) {
      server.accept();
      this.#send(server, { type: 'error', code: 'LISTENER_CAP_REACHED', message: 'this party is full' });
      server.close(CLOSE_LISTENER_CAP, 'listener cap reached');
      return new Response(null, { status: 101, webSocket: client });
    }
    if (role === 'host') {
      // One host connection at a time: a newer one (a refresh, another tab) replaces the old.
      for (const old of this.ctx.getWebSockets('host'))
        this.#close(old, CLOSE_REPLACED, 'replaced by a newer host connection');
    }
    this.ctx.acceptWebSocket(server, [role]);
    const attachment: Attachment = {
      role,
      peerId: crypto.randomUUID().replace(/-/g, ''),
      transportIds: [],
      consumerIds: [],
    };
    server.serializeAttachment(attachment);
    this.#send(server, { type: 'welcome', v: PROTOCOL_VERSION, role, sessionId });
    if (role === 'listener') this.#scheduleCount();
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, frame: string | ArrayBuffer): Promise<void> {
    const attachment = ws.deserializeAttachment() as Attachment;
    if (!this.#limiter.allow(ws)) {
      this.#send(ws, { type: 'error', code: 'RATE_LIMITED', message: 'too many messages; slow down' });
      return;
    }
    const inbound = parseInbound(attachment.role, frame);
    if (!inbound.ok) {
      this.#send(ws, {
        type: 'error',
        code: inbound.code,
        message: inbound.message,
        ...(inbound.reqId === undefined ? {} : { reqId: inbound.reqId }),
      });
      return;
    }
    const reqId = inbound.message.reqId;
    try {
      if (inbound.role === 'host') await this.#onHost(ws, attachment, inbound.message);
      else await this.#onListener(ws, attachment, inbound.message);
    } catch (error) {
      const { code, message } = this.#toRequestError(error);
      this.#send(ws, { type: 'error', reqId, code, message });
    }
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    this.#close(ws, code === 1005 || code === 1006 ? 1000 : code, reason);
    await this.#onSocketGone(ws);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    await this.#onSocketGone(ws);
  }

  /**
   * The one alarm serves two clocks: the host's grace deadline (`graceUntil` in storage) and a
   * periodic media check, so a dead media worker is noticed even when nobody joins or produces.
   */
  override async alarm(): Promise<void> {
    if (this.#session?.status !== 'live') return;
    const graceUntil = (await this.ctx.storage.get<number>('graceUntil')) ?? null;
    if (graceUntil !== null && Date.now() >= graceUntil && this.#openSockets('host').length === 0) {
      await this.#end('host-timeout');
      return;
    }
    await this.#checkMedia().catch((error: unknown) => console.error('media check failed', String(error)));
    await this.#scheduleAlarm();
  }

  /** For the status route: no secrets, no media ids. */
  async status(): Promise<PartyStatus> {
    const live = this.#session?.status === 'live';
    return {
      live,
      sessionId: live ? (this.#session?.sessionId ?? null) : null,
      listenerCount: this.#listenerCount(),
      hostConnected: live && (this.#session?.hostConnected ?? false),
      nowPlaying: live ? this.#playback.nowPlaying : null,
      paused: this.#playback.paused,
    };
  }

  // --- Transports (host and listeners alike) -------------------------------------------------

  /** A WebRTC transport on the media node, owned by this socket. */
  async #createTransport(
    ws: WebSocket,
    attachment: Attachment,
    reqId: RequestId,
    direction: 'send' | 'recv',
  ): Promise<void> {
    const session = this.#liveSession();
    const media = this.#media();
    const transport = await this.#call(() =>
      media.createTransport(session.sessionId, { type: 'webrtc', peerId: attachment.peerId, direction }),
    );
    if (transport.type !== 'webrtc') throw new RequestError('INTERNAL', 'unexpected transport type');
    this.#remember(ws, attachment, 'transportIds', transport.transportId);
    const { type: _type, ...options } = transport;
    this.#send(ws, {
      type: 'transportCreated',
      reqId,
      ...options,
      iceServers: await turnIceServers(this.env),
    });
  }

  /** Connects one of this socket's own transports (DTLS); another socket's id is not found. */
  async #connectTransport(
    ws: WebSocket,
    attachment: Attachment,
    message: { reqId: RequestId; transportId: string; dtlsParameters: DtlsParameters },
  ): Promise<void> {
    const session = this.#liveSession();
    const media = this.#media();
    this.#requireOwn(attachment.transportIds, message.transportId, 'TRANSPORT_NOT_FOUND');
    await this.#call(() =>
      media.connectTransport(session.sessionId, message.transportId, {
        dtlsParameters: message.dtlsParameters,
      }),
    );
    this.#send(ws, { type: 'ok', reqId: message.reqId });
  }

  // --- Host ----------------------------------------------------------------------------------

  async #onHost(ws: WebSocket, attachment: Attachment, message: HostMessage): Promise<void> {
    if (message.type === 'createSession') return this.#createSession(ws, message.reqId);
    const session = this.#liveSession();
    const media = this.#media();
    switch (message.type) {
      case 'createTransport':
        return this.#createTransport(ws, attachment, message.reqId, message.direction);
      case 'connectTransport':
        return this.#connectTransport(ws, attachment, message);
      case 'produce': {
        this.#requireOwn(attachment.transportIds, message.transportId, 'TRANSPORT_NOT_FOUND');
        const { producerId } = await this.#call(() =>
          media.produce(session.sessionId, {
            transportId: message.transportId,
            kind: message.kind,
            rtpParameters: message.rtpParameters,
          }),
        );
        const previous = session.producerId;
        session.producerId = producerId;
        await this.#saveSession();
        this.#send(ws, { type: 'produced', reqId: message.reqId, producerId });
        if (previous) {
          await media.closeProducer(session.sessionId, previous).catch(() => undefined);
          this.#broadcast('listener', { type: 'producerClosed', producerId: previous });
        }
        this.#broadcast('listener', { type: 'producerAvailable', producerId });
        return;
      }
      case 'nowPlaying':
        return this.#updatePlayback(ws, message.reqId, {
          nowPlaying: message.track,
          paused: false,
          positionMs: message.positionMs,
        });
      case 'pause':
        return this.#updatePlayback(ws, message.reqId, { paused: true, positionMs: message.positionMs });
      case 'resume':
        return this.#updatePlayback(ws, message.reqId, { paused: false, positionMs: message.positionMs });
      case 'seek':
      case 'position':
        return this.#updatePlayback(ws, message.reqId, { positionMs: message.positionMs });
      case 'endSession':
        this.#send(ws, { type: 'ok', reqId: message.reqId });
        await this.#end('host-ended');
        return;
    }
  }

  async #createSession(ws: WebSocket, reqId: RequestId): Promise<void> {
    const sessionId = this.#sessionId;
    if (!sessionId) throw new RequestError('INTERNAL', 'session id unknown');
    const media = this.#media();
    let resumed = false;
    if (this.#session?.status === 'live') {
      resumed = true;
      await this.#checkMedia();
    } else {
      const created = await this.#call(() => media.createSession(sessionId));
      this.#session = {
        sessionId,
        status: 'live',
        generation: created.generation,
        routerRtpCapabilities: created.routerRtpCapabilities,
        producerId: null,
        hostConnected: true,
      };
      this.#playback = initialPlayback();
      await this.ctx.storage.put('playback', this.#playback);
      await this.env.PARTY_DIRECTORY.getByName(DIRECTORY_NAME).setLive(sessionId);
    }
    const session = this.#liveSession();
    session.hostConnected = true;
    await this.#saveSession();
    await this.ctx.storage.delete('graceUntil');
    await this.#scheduleAlarm();
    this.#send(ws, {
      type: 'sessionCreated',
      reqId,
      sessionId,
      inviteUrl: `${this.env.PUBLIC_URL.replace(/\/$/, '')}/party/${sessionId}`,
      routerRtpCapabilities: session.routerRtpCapabilities,
      iceServers: await turnIceServers(this.env),
      resumed,
    });
    this.#send(ws, { type: 'listenerCount', count: this.#listenerCount() });
    // Also tells listeners who arrived before the party started that they can join now.
    this.#broadcast('listener', { type: 'hostStatus', connected: true });
  }

  async #updatePlayback(ws: WebSocket, reqId: RequestId, change: Partial<PlaybackState>): Promise<void> {
    this.#liveSession();
    this.#playback = { ...this.#playback, ...change, positionAt: Date.now() };
    // Metadata is fanned out without waiting for the write to be durable (the output gate would
    // hold every frame until then): a lost write costs at most one stale position after a crash.
    await this.ctx.storage.put('playback', this.#playback, { allowUnconfirmed: true });
    this.#send(ws, { type: 'ok', reqId });
    this.#broadcast('listener', { type: 'state', state: this.#playback, serverTime: Date.now() });
  }

  // --- Listeners -----------------------------------------------------------------------------

  async #onListener(ws: WebSocket, attachment: Attachment, message: ListenerMessage): Promise<void> {
    const session = this.#liveSession();
    const media = this.#media();
    switch (message.type) {
      case 'join':
        await this.#checkMedia();
        this.#send(ws, {
          type: 'joined',
          reqId: message.reqId,
          routerRtpCapabilities: session.routerRtpCapabilities,
          iceServers: await turnIceServers(this.env),
          state: this.#playback,
          hostConnected: session.hostConnected,
          producerId: session.producerId,
          serverTime: Date.now(),
        });
        return;
      case 'createRecvTransport':
        return this.#createTransport(ws, attachment, message.reqId, 'recv');
      case 'connectTransport':
        return this.#connectTransport(ws, attachment, message);
      case 'consume': {
        this.#requireOwn(attachment.transportIds, message.transportId, 'TRANSPORT_NOT_FOUND');
        const producerId = session.producerId;
        if (!producerId) throw new RequestError('PRODUCER_NOT_FOUND', 'the host is not playing yet');
        const consumer = await this.#call(() =>
          media.consume(session.sessionId, {
            transportId: message.transportId,
            producerId,
            rtpCapabilities: message.rtpCapabilities,
          }),
        );
        this.#remember(ws, attachment, 'consumerIds', consumer.consumerId);
        this.#send(ws, {
          type: 'consumed',
          reqId: message.reqId,
          consumerId: consumer.consumerId,
          producerId: consumer.producerId,
          kind: consumer.kind,
          rtpParameters: consumer.rtpParameters as Record<string, unknown>,
        });
        return;
      }
      case 'resumeConsumer':
        this.#requireOwn(attachment.consumerIds, message.consumerId, 'CONSUMER_NOT_FOUND');
        await this.#call(() => media.resumeConsumer(session.sessionId, message.consumerId));
        this.#send(ws, { type: 'ok', reqId: message.reqId });
        return;
    }
  }

  // --- Lifecycle -----------------------------------------------------------------------------

  async #onSocketGone(ws: WebSocket): Promise<void> {
    const attachment = ws.deserializeAttachment() as Attachment | null;
    if (!attachment) return;
    const session = this.#session;
    if (attachment.role === 'listener') {
      this.#scheduleCount();
      // Free the listener's media right away rather than waiting for ICE to time out.
      if (session?.status === 'live') {
        const media = this.#media();
        for (const transportId of attachment.transportIds)
          await media.closeTransport(session.sessionId, transportId).catch(() => undefined);
      }
      return;
    }
    if (session?.status !== 'live' || this.#openSockets('host').some((other) => other !== ws)) return;
    session.hostConnected = false;
    await this.#saveSession();
    this.#broadcast('listener', { type: 'hostStatus', connected: false });
    await this.ctx.storage.put('graceUntil', Date.now() + this.#settings.hostGraceMs);
    await this.#scheduleAlarm();
  }

  /** Next alarm: the next media check, or the grace deadline if that comes first. */
  async #scheduleAlarm(): Promise<void> {
    if (this.#session?.status !== 'live') return;
    const graceUntil = (await this.ctx.storage.get<number>('graceUntil')) ?? Number.POSITIVE_INFINITY;
    await this.ctx.storage.setAlarm(Math.min(Date.now() + this.#settings.mediaCheckMs, graceUntil));
  }

  async #end(reason: 'host-ended' | 'host-timeout' | 'media-lost'): Promise<void> {
    const session = this.#session;
    if (session?.status !== 'live') return;
    await this.#media()
      .closeSession(session.sessionId)
      .catch((error: unknown) => {
        if (!(error instanceof MediaApiError && error.status === 404))
          console.error('closing media session failed', String(error));
      });
    session.status = 'ended';
    session.producerId = null;
    session.hostConnected = false;
    await this.#saveSession();
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.delete('graceUntil');
    await this.env.PARTY_DIRECTORY.getByName(DIRECTORY_NAME).clearLive(session.sessionId);
    this.#broadcast(undefined, { type: 'sessionEnded', reason });
    for (const ws of this.ctx.getWebSockets()) this.#close(ws, CLOSE_SESSION_ENDED, 'session ended');
  }

  /**
   * Asks the media node whether the session's media survived: a lost router (new generation,
   * `needsRebuild`) or a forgotten session (node restart) resets the media path.
   */
  async #checkMedia(): Promise<void> {
    const session = this.#liveSession();
    const media = this.#media();
    try {
      const stats = await media.sessionStats(session.sessionId);
      if (stats.needsRebuild || stats.generation !== session.generation)
        await this.#mediaReset('media-rebuilt', stats.generation);
    } catch (error) {
      if (error instanceof MediaApiError && error.code === 'SESSION_NOT_FOUND') {
        const created = await media.createSession(session.sessionId).catch((failure: unknown) => {
          throw this.#toRequestError(failure);
        });
        session.routerRtpCapabilities = created.routerRtpCapabilities;
        await this.#mediaReset('media-session-lost', created.generation);
        return;
      }
      // No answer at all (a restarting node: workerd's "Network connection lost."), as in #call.
      if (!(error instanceof MediaApiError))
        throw new RequestError('MEDIA_NODE_UNAVAILABLE', 'media node unreachable');
      throw this.#toRequestError(error);
    }
  }

  /** Every media id is gone: forget them, and tell the host to produce and listeners to consume again. */
  async #mediaReset(reason: string, generation: number): Promise<void> {
    const session = this.#liveSession();
    const media = this.#media();
    const ack = await media.acknowledgeRebuild(session.sessionId).catch(() => undefined);
    session.generation = ack?.generation ?? generation;
    session.producerId = null;
    await this.#saveSession();
    for (const ws of this.ctx.getWebSockets()) {
      const attachment = ws.deserializeAttachment() as Attachment;
      ws.serializeAttachment({ ...attachment, transportIds: [], consumerIds: [] });
    }
    this.#broadcast(undefined, { type: 'mediaReset', reason });
  }

  // --- Helpers -------------------------------------------------------------------------------

  #media() {
    const session = this.#session;
    return mediaNodeFor(this.env, session?.sessionId ?? this.#sessionId ?? '');
  }

  /** Runs a media call, mapping its failures to request errors (and a lost router to a reset). */
  async #call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      // An id from before a rebuild: check the session, which resets the media path only once.
      if (
        error instanceof MediaApiError &&
        error.code === 'MEDIA_REBUILT' &&
        this.#session?.status === 'live'
      )
        await this.#checkMedia().catch(() => undefined);
      // Anything but an answer from the node (a refused connection, a reset) means it is unreachable.
      if (!(error instanceof MediaApiError))
        throw new RequestError('MEDIA_NODE_UNAVAILABLE', 'media node unreachable');
      throw this.#toRequestError(error);
    }
  }

  #toRequestError(error: unknown): RequestError {
    if (error instanceof RequestError) return error;
    if (error instanceof MediaApiError) {
      if (error.code === 'INVALID_RESPONSE')
        return new RequestError('MEDIA_NODE_UNAVAILABLE', 'media node answered unexpectedly');
      return new RequestError(error.code, error.message);
    }
    if (error instanceof TypeError)
      return new RequestError('MEDIA_NODE_UNAVAILABLE', 'media node unreachable');
    console.error('party request failed', String(error));
    return new RequestError('INTERNAL', 'internal error');
  }

  #liveSession(): SessionRecord {
    if (!this.#session) throw new RequestError('SESSION_NOT_FOUND', 'no party here yet');
    if (this.#session.status !== 'live') throw new RequestError('SESSION_ENDED', 'this party has ended');
    return this.#session;
  }

  async #saveSession(): Promise<void> {
    await this.ctx.storage.put('session', this.#session);
  }

  #requireOwn(ids: string[], id: string, code: ErrorCode): void {
    if (!ids.includes(id)) throw new RequestError(code, 'not yours or unknown');
  }

  /**
   * Adds an id the socket now owns. Re-reads the attachment: another message of the same socket may
   * have changed it while this one awaited the media node.
   */
  #remember(ws: WebSocket, attachment: Attachment, key: 'transportIds' | 'consumerIds', id: string): void {
    const current = (ws.deserializeAttachment() as Attachment | null) ?? attachment;
    current[key] = [...current[key], id].slice(-MAX_TRACKED_IDS);
    ws.serializeAttachment(current);
    attachment[key] = current[key];
  }

  #openSockets(tag?: Role): WebSocket[] {
    return this.ctx.getWebSockets(tag).filter((ws) => ws.readyState === WebSocket.OPEN);
  }

  #listenerCount(): number {
    return this.#openSockets('listener').length;
  }

  /** Listener joins and leaves come in bursts: tell the host the count once per burst. */
  #scheduleCount(): void {
    if (this.#countTimer !== undefined) return;
    this.#countTimer = setTimeout(() => {
      this.#countTimer = undefined;
      const count = this.#listenerCount();
      for (const host of this.#openSockets('host')) this.#send(host, { type: 'listenerCount', count });
    }, COUNT_COALESCE_MS);
  }

  #send(ws: WebSocket, message: ServerMessage): void {
    try {
      ws.send(JSON.stringify(message));
    } catch {
      // The socket is closing; its close handler cleans up.
    }
  }

  #broadcast(tag: Role | undefined, message: ServerMessage): void {
    const text = JSON.stringify(message);
    for (const ws of this.#openSockets(tag)) {
      try {
        ws.send(text);
      } catch {
        // Closing socket.
      }
    }
  }

  #close(ws: WebSocket, code: number, reason: string): void {
    try {
      ws.close(code, reason);
    } catch {
      // Already closed.
    }
  }
}
