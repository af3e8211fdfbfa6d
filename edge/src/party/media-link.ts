/**
 * The party's link to its media nodes: every call goes through here, so failures map to coded
 * errors in one place. The host's producer lives on one node (the origin); each listener is placed
 * on the least-loaded node, which gets the producer through a pipe from the origin (`node-relays`).
 * A lost router, a node that is gone or draining moves the media (see `media-health`).
 */
import {
  CodedError,
  type DtlsParameters,
  type MediaApiClient,
  MediaApiError,
  pipeProducer,
  type RequestId,
  type RtpCapabilities,
} from '@dmp-party/protocol';
import type { Env } from '../env';
import { type MediaNodeEntry, mediaNodeClient, mediaNodeEntries } from '../media-nodes';
import { turnIceServers } from '../turn';
import { type PartyAttachment, type PartyHub, rememberId, requireOwn } from './attachment';
import { CoalescedRun } from './coalesced-run';
import { checkMedia } from './media-health';
import { NodePlacement } from './node-placement';
import { closePipe, newRelay } from './node-relays';
import type { SessionStore } from './session-store';

/**
 * A join or a host's resume trusts a media check this recent. The media node reports a lost
 * router at once (an event to the edge), the alarm checks periodically, and an id from before a
 * rebuild forces a check (410), so joins only need a check when none ran lately: a thousand
 * listeners reconnecting together share one.
 */
export const JOIN_CHECK_MAX_AGE_MS = 5_000;

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
  readonly sessionId: string;
  readonly env: Env;
  readonly store: SessionStore;
  readonly hub: PartyHub;
  readonly entries: readonly MediaNodeEntry[];
  readonly placement: NodePlacement;
  readonly #clients = new Map<string, MediaApiClient>();
  readonly #relaying = new Map<string, Promise<void>>();
  readonly #checks = new CoalescedRun(() => checkMedia(this));

  constructor(sessionId: string, env: Env, store: SessionStore, hub: PartyHub) {
    this.sessionId = sessionId;
    this.env = env;
    this.store = store;
    this.hub = hub;
    this.entries = mediaNodeEntries(env);
    this.placement = new NodePlacement(this.entries, (url) => this.client(url));
  }

  client(url: string): MediaApiClient {
    let client = this.#clients.get(url);
    if (!client) {
      client = mediaNodeClient(url, this.env.MEDIA_NODE_SECRET);
      this.#clients.set(url, client);
    }
    return client;
  }

  /** The node holding the host's producer (a record from before several nodes: the first). */
  get originUrl(): string {
    return this.store.record?.originNode ?? (this.entries[0] as MediaNodeEntry).url;
  }

  get origin(): MediaApiClient {
    return this.client(this.originUrl);
  }

  /** Whether the party's listeners use more than one node (its media check then runs more often). */
  get spread(): boolean {
    return Object.keys(this.store.record?.relays ?? {}).length > 0;
  }

  /** Where this socket's media lives: the host's on the origin, a listener's on its own node. */
  nodeOf(attachment: PartyAttachment): string {
    return attachment.role === 'listener' && attachment.node ? attachment.node : this.originUrl;
  }

  /** A new party's router, on the least-loaded node: its URL and what the node answered. */
  async createOrigin(exclude?: ReadonlySet<string>) {
    const url = await this.placement.choose(exclude ? { exclude } : {});
    if (!url) throw new CodedError('MEDIA_NODE_UNAVAILABLE', 'no media node can take the party');
    const created = await this.client(url)
      .createSession(this.sessionId)
      .catch((error: unknown) => {
        this.placement.markUnusable(url);
        throw toMediaError(error);
      });
    return { url, ...created };
  }

  /** Runs a media call on the origin, mapping its failures (see `callOn`). */
  call<T>(run: (node: MediaApiClient, sessionId: string) => Promise<T>): Promise<T> {
    return this.callOn(this.originUrl, run);
  }

  /**
   * Runs a media call on node `url`. An id from before a rebuild, or a node that does not answer or
   * says it cannot take media (503: draining, no live worker), starts a media check, which moves the
   * media once for everyone; such a node gets nothing new until a load read says otherwise.
   */
  async callOn<T>(url: string, run: (node: MediaApiClient, sessionId: string) => Promise<T>): Promise<T> {
    try {
      return await run(this.client(url), this.sessionId);
    } catch (error) {
      const unavailable = !(error instanceof MediaApiError) || error.status === 503;
      if ((unavailable || error.code === 'MEDIA_REBUILT') && this.store.isLive) {
        if (unavailable) this.placement.markUnusable(url);
        await this.check().catch(() => undefined);
      }
      throw toMediaError(error);
    }
  }

  /** Best effort: the id may already be gone with its worker, session or node. */
  async closeTransports(transportIds: readonly string[], url = this.originUrl): Promise<void> {
    for (const transportId of transportIds)
      await this.client(url)
        .closeTransport(this.sessionId, transportId)
        .catch(() => undefined);
  }

  /**
   * A listener's node, placed now if it has none yet (or lost it in a move), or if nothing of it is
   * there yet and that node can take nothing new (it refused or began draining since placing).
   */
  async #listenerNode(ws: WebSocket, attachment: PartyAttachment): Promise<string> {
    const { node } = attachment;
    const kept = node && this.entries.some((entry) => entry.url === node);
    if (kept && (attachment.transportIds.length > 0 || this.placement.usable(node))) return node;
    const url =
      (await this.placement.choose({ continent: attachment.continent, origin: this.originUrl })) ??
      this.originUrl;
    this.hub.updateAttachment(ws, (current) => ({ ...current, node: url }));
    return url;
  }

  /** A WebRTC transport on the socket's media node, owned by this socket, sent as `transportCreated`. */
  async createTransport(
    ws: WebSocket,
    attachment: PartyAttachment,
    reqId: RequestId,
    direction: 'send' | 'recv',
  ): Promise<string> {
    const { options } = await this.openTransport(ws, attachment, direction);
    this.hub.send(ws, { type: 'transportCreated', reqId, ...options });
    return options.transportId;
  }

  /**
   * A WebRTC transport on the socket's media node, owned by this socket: what its browser needs,
   * and with `dtlsParameters` (the browser's, known up front), whether the node connected it.
   */
  async openTransport(
    ws: WebSocket,
    attachment: PartyAttachment,
    direction: 'send' | 'recv',
    dtlsParameters?: DtlsParameters,
  ) {
    this.store.live();
    const url = direction === 'recv' ? await this.#listenerNode(ws, attachment) : this.originUrl;
    const [transport, iceServers] = await Promise.all([
      this.relay(url).then(() =>
        this.callOn(url, (node, sessionId) =>
          node.createTransport(sessionId, {
            type: 'webrtc',
            peerId: attachment.peerId,
            direction,
            ...(dtlsParameters && { dtlsParameters }),
          }),
        ),
      ),
      turnIceServers(this.env),
    ]);
    if (transport.type !== 'webrtc') throw new CodedError('INTERNAL', 'unexpected transport type');
    rememberId(this.hub, ws, 'transportIds', transport.transportId);
    const { type: _type, connected = false, ...options } = transport;
    return { options: { ...options, iceServers }, connected };
  }

  /**
   * A listener's receive path in one call to its node: a transport owned by this socket, connected
   * with the browser's DTLS parameters when it sent them, and (when the host produces) a consumer
   * of the producer, resumed. A connect or consume the node refused answers as not connected or no
   * consumer, and the listener does that step itself.
   */
  async openReceiver(
    ws: WebSocket,
    attachment: PartyAttachment,
    receive: { dtlsParameters?: DtlsParameters | undefined; rtpCapabilities?: RtpCapabilities | undefined },
  ) {
    this.store.live();
    const url = await this.#listenerNode(ws, attachment);
    const [opened, iceServers] = await Promise.all([
      this.relay(url).then(() => {
        // Read after the relay: the producer it just brought to this node.
        const session = this.store.live();
        const { producerId } = session;
        const rtpCapabilities = receive.rtpCapabilities ?? session.routerRtpCapabilities;
        return this.callOn(url, (node, sessionId) =>
          node.openReceiver(sessionId, {
            peerId: attachment.peerId,
            ...(receive.dtlsParameters && { dtlsParameters: receive.dtlsParameters }),
            ...(producerId && { consume: { producerId, rtpCapabilities, paused: false } }),
          }),
        );
      }),
      turnIceServers(this.env),
    ]);
    rememberId(this.hub, ws, 'transportIds', opened.transport.transportId);
    if (opened.consumer) rememberId(this.hub, ws, 'consumerIds', opened.consumer.consumerId);
    // A producer id from before a rebuild: the same check a refused call starts (see `callOn`).
    if (opened.consumeError?.code === 'MEDIA_REBUILT') await this.check().catch(() => undefined);
    const { type: _type, ...transport } = opened.transport;
    return {
      transport: { ...transport, iceServers },
      connected: opened.connected,
      consumer: opened.consumer,
    };
  }

  /** Connects one of this socket's own transports (DTLS); another socket's id is not found. */
  async connectTransport(
    ws: WebSocket,
    attachment: PartyAttachment,
    message: { reqId: RequestId; transportId: string; dtlsParameters: DtlsParameters },
  ): Promise<void> {
    this.store.live();
    requireOwn(attachment.transportIds, message.transportId, 'TRANSPORT_NOT_FOUND');
    await this.callOn(this.nodeOf(attachment), (node, sessionId) =>
      node.connectTransport(sessionId, message.transportId, { dtlsParameters: message.dtlsParameters }),
    );
    this.hub.send(ws, { type: 'ok', reqId: message.reqId });
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
    this.store.live();
    requireOwn(attachment.transportIds, message.transportId, 'TRANSPORT_NOT_FOUND');
    const { iceParameters } = await this.callOn(this.nodeOf(attachment), (node, sessionId) =>
      node.restartIce(sessionId, message.transportId),
    );
    this.hub.send(ws, { type: 'iceRestarted', reqId: message.reqId, iceParameters });
  }

  /**
   * Makes node `url` ready for listeners: the session exists there and, once the host publishes,
   * the current producer arrives through a pipe from the origin. Shared by concurrent callers.
   */
  relay(url: string): Promise<void> {
    if (url === this.originUrl) return Promise.resolve();
    let pending = this.#relaying.get(url);
    if (!pending) {
      pending = this.#relay(url).finally(() => this.#relaying.delete(url));
      this.#relaying.set(url, pending);
    }
    return pending;
  }

  async #relay(url: string): Promise<void> {
    const session = this.store.live();
    let relay = session.relays[url];
    if (!relay) {
      const created = await this.callOn(url, (node, sessionId) => node.createSession(sessionId));
      relay = newRelay(created.generation);
      session.relays[url] = relay;
      await this.store.save();
    }
    const producerId = session.producerId;
    if (!producerId || relay.producerId === producerId) return;
    const node = this.client(url);
    await closePipe(this.sessionId, this.origin, node, relay);
    const pipe = await pipeProducer(this.sessionId, this.origin, node, producerId).catch((error: unknown) => {
      throw toMediaError(error);
    });
    Object.assign(relay, pipe);
    await this.store.save();
  }

  /**
   * Asks every node of the party whether its media survived, and moves what did not (see
   * `media-health`). The check starts after this call (sharing one with concurrent callers).
   */
  check(): Promise<void> {
    return this.#checks.fresh();
  }

  /** A check no older than `JOIN_CHECK_MAX_AGE_MS`, or the one in flight (joins and resumes). */
  checkRecent(): Promise<void> {
    return this.#checks.recent(JOIN_CHECK_MAX_AGE_MS);
  }

  /** The party ended: its session closes on every node it used (best effort). */
  async closeEverywhere(): Promise<void> {
    const session = this.store.record;
    const urls = [this.originUrl, ...Object.keys(session?.relays ?? {})];
    await Promise.all(
      urls.map((url) =>
        this.client(url)
          .closeSession(this.sessionId)
          .catch((error: unknown) => {
            if (!(error instanceof MediaApiError && error.status === 404))
              console.error('closing media session failed', String(error));
          }),
      ),
    );
  }
}
