/**
 * The party's link to its media node: every call goes through here, so failures map to coded
 * errors in one place, and a lost router (a dead worker, a restarted node) resets the media path
 * once: the host produces again and listeners consume again.
 */
import {
  CodedError,
  type DtlsParameters,
  MediaApiClient,
  MediaApiError,
  type RequestId,
} from '@dmp-party/protocol';
import type { Env } from '../env';
import { turnIceServers } from '../turn';
import { type PartyAttachment, type PartyHub, rememberId, requireOwn } from './attachment';
import { CoalescedRun } from './coalesced-run';
import type { SessionStore } from './session-store';

/**
 * A join or a host's resume trusts a media check this recent. The media node reports a lost
 * router at once (an event to the edge), the alarm checks periodically, and an id from before a
 * rebuild forces a check (410), so joins only need a check when none ran lately: a thousand
 * listeners reconnecting together share one.
 */
export const JOIN_CHECK_MAX_AGE_MS = 5_000;

/**
 * The one place that decides which media node serves a party. Today a deployment has one
 * (`MEDIA_NODE_URL`); choosing among several (by region or load) would change only this function.
 */
export function mediaNodeFor(env: Env, _sessionId: string): MediaApiClient {
  return new MediaApiClient(env.MEDIA_NODE_URL, env.MEDIA_NODE_SECRET, (url, init) => fetch(url, init));
}

/** Maps a media call's failure to the coded error a client gets. */
export function toMediaError(error: unknown): CodedError {
  if (error instanceof MediaApiError) {
    if (error.code === 'INVALID_RESPONSE')
      return new CodedError('MEDIA_NODE_UNAVAILABLE', 'media node answered unexpectedly');
    return new CodedError(error.code, error.message);
  }
  if (error instanceof CodedError) return error;
  // Anything but an answer from the node (a refused connection, a reset) means it is unreachable.
  return new CodedError('MEDIA_NODE_UNAVAILABLE', 'media node unreachable');
}

export class MediaLink {
  readonly #sessionId: string;
  readonly #env: Env;
  readonly #store: SessionStore;
  readonly #hub: PartyHub;
  readonly #checks = new CoalescedRun(() => this.#check());
  readonly node: MediaApiClient;

  constructor(sessionId: string, env: Env, store: SessionStore, hub: PartyHub) {
    this.#sessionId = sessionId;
    this.#env = env;
    this.#store = store;
    this.#hub = hub;
    this.node = mediaNodeFor(env, sessionId);
  }

  /** Runs a media call for this session, mapping its failures (and an id from before a rebuild). */
  async call<T>(run: (node: MediaApiClient, sessionId: string) => Promise<T>): Promise<T> {
    try {
      return await run(this.node, this.#sessionId);
    } catch (error) {
      // An id from before a rebuild: check the session, which resets the media path only once.
      if (error instanceof MediaApiError && error.code === 'MEDIA_REBUILT' && this.#store.isLive)
        await this.check().catch(() => undefined);
      throw toMediaError(error);
    }
  }

  /** Best effort: the id may already be gone with its worker or session. */
  async closeTransports(transportIds: readonly string[]): Promise<void> {
    for (const transportId of transportIds)
      await this.node.closeTransport(this.#sessionId, transportId).catch(() => undefined);
  }

  /** A WebRTC transport on the media node, owned by this socket. */
  async createTransport(
    ws: WebSocket,
    attachment: PartyAttachment,
    reqId: RequestId,
    direction: 'send' | 'recv',
  ): Promise<string> {
    this.#store.live();
    const transport = await this.call((node, sessionId) =>
      node.createTransport(sessionId, { type: 'webrtc', peerId: attachment.peerId, direction }),
    );
    if (transport.type !== 'webrtc') throw new CodedError('INTERNAL', 'unexpected transport type');
    rememberId(this.#hub, ws, 'transportIds', transport.transportId);
    const { type: _type, ...options } = transport;
    this.#hub.send(ws, {
      type: 'transportCreated',
      reqId,
      ...options,
      iceServers: await turnIceServers(this.#env),
    });
    return transport.transportId;
  }

  /** Connects one of this socket's own transports (DTLS); another socket's id is not found. */
  async connectTransport(
    ws: WebSocket,
    attachment: PartyAttachment,
    message: { reqId: RequestId; transportId: string; dtlsParameters: DtlsParameters },
  ): Promise<void> {
    this.#store.live();
    requireOwn(attachment.transportIds, message.transportId, 'TRANSPORT_NOT_FOUND');
    await this.call((node, sessionId) =>
      node.connectTransport(sessionId, message.transportId, { dtlsParameters: message.dtlsParameters }),
    );
    this.#hub.send(ws, { type: 'ok', reqId: message.reqId });
  }

  /**
   * New ICE credentials for one of this socket's own transports, whose network path changed (a
   * phone from Wi-Fi to cellular): the client restarts ICE with them and keeps the transport.
   */
  async restartIce(
    ws: WebSocket,
    attachment: PartyAttachment,
    message: { reqId: RequestId; transportId: string },
  ): Promise<void> {
    this.#store.live();
    requireOwn(attachment.transportIds, message.transportId, 'TRANSPORT_NOT_FOUND');
    const { iceParameters } = await this.call((node, sessionId) =>
      node.restartIce(sessionId, message.transportId),
    );
    this.#hub.send(ws, { type: 'iceRestarted', reqId: message.reqId, iceParameters });
  }

  /**
   * Asks the media node whether the session's media survived: a lost router (new generation,
   * `needsRebuild`) or a forgotten session (node restart) resets the media path. The check starts
   * after this call (sharing one with concurrent callers), for callers who know something changed.
   */
  check(): Promise<void> {
    return this.#checks.fresh();
  }

  /** A check no older than `JOIN_CHECK_MAX_AGE_MS`, or the one in flight (joins and resumes). */
  checkRecent(): Promise<void> {
    return this.#checks.recent(JOIN_CHECK_MAX_AGE_MS);
  }

  async #check(): Promise<void> {
    const session = this.#store.live();
    try {
      const stats = await this.node.sessionStats(this.#sessionId);
      if (stats.needsRebuild || stats.generation !== session.generation)
        await this.#reset('media-rebuilt', stats.generation);
    } catch (error) {
      if (!(error instanceof MediaApiError && error.code === 'SESSION_NOT_FOUND')) throw toMediaError(error);
      const created = await this.node.createSession(this.#sessionId).catch((failure: unknown) => {
        throw toMediaError(failure);
      });
      session.routerRtpCapabilities = created.routerRtpCapabilities;
      await this.#reset('media-session-lost', created.generation);
    }
  }

  /** Every media id is gone: forget them, and tell the host to produce and listeners to consume again. */
  async #reset(reason: string, generation: number): Promise<void> {
    const session = this.#store.live();
    const ack = await this.node.acknowledgeRebuild(this.#sessionId).catch(() => undefined);
    session.generation = ack?.generation ?? generation;
    session.producerId = null;
    session.hostTransportIds = [];
    await this.#store.save();
    for (const ws of this.#hub.all())
      this.#hub.updateAttachment(ws, (current) => ({ ...current, transportIds: [], consumerIds: [] }));
    this.#hub.broadcast(undefined, { type: 'mediaReset', reason });
  }
}
