import type {
  ConnectTransportRequest,
  ConsumeRequest,
  ConsumeResponse,
  CreateTransportRequest,
  CreateTransportResponse,
  ProduceRequest,
  SessionStats,
} from '@dmp-party/protocol';
import type { types } from 'mediasoup';
import { badRequest, MediaNodeError, wrongState } from '../errors';
import { moduleLogger } from '../logger';
import { closeWhenAbandoned } from './abandoned-transports';
import { ROUTER_MEDIA_CODECS } from './codecs';
import { IdGenerations } from './id-generations';
import { NodePipes } from './node-pipes';
import { ProducerPipes } from './producer-pipes';
import { consumersOn, sumTransportBytes, type TransportEntry, transportsOn } from './session-counts';
import { createTransportOn, type TransportAddressing } from './transport-factory';
import type { WorkerPool, WorkerSlot } from './worker-pool';

const log = moduleLogger('media-session');

export interface SessionOptions extends TransportAddressing {
  /** Listeners a worker takes before new listeners go to another worker through pipeToRouter. */
  maxConsumersPerWorker: number;
}

/**
 * One party's media: an origin router (where the host's producer lives) and, when a worker holds
 * too many listeners, routers on other workers fed by `pipeToRouter`. Listeners' receive transports
 * are placed on the router of the worker chosen for them.
 */
export class MediaSession {
  readonly sessionId: string;
  generation = 0;
  needsRebuild = false;
  closed = false;

  readonly #pool: WorkerPool;
  readonly #options: SessionOptions;
  #origin: { slot: WorkerSlot; router: types.Router } | undefined;
  readonly #routers = new Map<WorkerSlot, Promise<types.Router>>();
  readonly #transports = new Map<string, TransportEntry>();
  readonly #producers = new Map<string, types.Producer>();
  readonly #consumers = new Map<string, { consumer: types.Consumer; transportId: string }>();
  readonly #pipes = new ProducerPipes();
  readonly #ids = new IdGenerations();
  #rebuilding: Promise<void> | undefined;
  /** Pipes to and from this session's routers on other media nodes. */
  readonly nodePipes: NodePipes;

  private constructor(sessionId: string, pool: WorkerPool, options: SessionOptions) {
    this.sessionId = sessionId;
    this.#pool = pool;
    this.#options = options;
    this.nodePipes = new NodePipes(
      {
        origin: () => this.#requireOrigin().router,
        producer: (id) => this.#ids.lookup(this.#producers, id, 'PRODUCER_NOT_FOUND', 'producer'),
        adopt: (producer) => this.#adopt(producer),
      },
      options,
    );
  }

  static async create(sessionId: string, pool: WorkerPool, options: SessionOptions): Promise<MediaSession> {
    const session = new MediaSession(sessionId, pool, options);
    await session.#placeOrigin();
    return session;
  }

  get routerRtpCapabilities(): types.RtpCapabilities {
    return this.#requireOrigin().router.rtpCapabilities;
  }

  /** Whether any of this session's routers lives on `slot`. */
  usesWorker(slot: WorkerSlot): boolean {
    return this.#routers.has(slot);
  }

  async #placeOrigin(): Promise<void> {
    const slot = await this.#pool.whenLive();
    if (!slot) throw new MediaNodeError(503, 'MEDIA_NODE_UNAVAILABLE', 'no live media worker');
    const router = await this.#routerOn(slot);
    this.#origin = { slot, router };
  }

  #requireOrigin(): { slot: WorkerSlot; router: types.Router } {
    if (this.closed)
      throw new MediaNodeError(404, 'SESSION_NOT_FOUND', `session ${this.sessionId} is closed`);
    if (!this.#origin?.slot.alive) {
      throw new MediaNodeError(503, 'MEDIA_NODE_UNAVAILABLE', 'session media is being rebuilt');
    }
    return this.#origin;
  }

  #routerOn(slot: WorkerSlot): Promise<types.Router> {
    let router = this.#routers.get(slot);
    if (!router) {
      router = slot.worker.createRouter({
        mediaCodecs: ROUTER_MEDIA_CODECS,
        appData: { sessionId: this.sessionId },
      });
      router.catch(() => this.#routers.delete(slot));
      this.#routers.set(slot, router);
    }
    return router;
  }

  /** Fill the origin worker first, then spread listeners to the least-loaded worker. */
  #slotForListener(): WorkerSlot {
    const origin = this.#requireOrigin().slot;
    if (origin.listenerLoad < this.#options.maxConsumersPerWorker) return origin;
    const other = this.#pool.leastLoaded();
    return other && other.listenerLoad < origin.listenerLoad ? other : origin;
  }

  async createTransport(request: CreateTransportRequest): Promise<CreateTransportResponse> {
    await this.#rebuilding?.catch(() => undefined);
    const slot = request.direction === 'send' ? this.#requireOrigin().slot : this.#slotForListener();
    const router = await this.#routerOn(slot);
    const { transport, info } = await createTransportOn(router, slot, request, this.#options);
    this.#transports.set(transport.id, {
      transport,
      type: request.type,
      direction: request.direction,
      peerId: request.peerId,
      slot,
      connected: false,
    });
    this.#ids.issue(transport.id);
    if (request.direction === 'recv') slot.listenerLoad++;
    if (request.direction === 'recv' && request.type === 'webrtc')
      closeWhenAbandoned(transport as types.WebRtcTransport);
    (transport as types.Transport).observer.once('close', () => {
      this.#transports.delete(transport.id);
      if (request.direction === 'recv' && slot.alive) slot.listenerLoad--;
    });
    if (request.type !== 'webrtc' || !request.dtlsParameters || info.type !== 'webrtc') return info;
    // Refused parameters leave the transport unconnected: the caller connects it the usual way.
    const { dtlsParameters } = request;
    const connected = await this.connectTransport(transport.id, { dtlsParameters }).then(
      () => true,
      () => false,
    );
    return { ...info, connected };
  }

  async connectTransport(transportId: string, request: ConnectTransportRequest): Promise<void> {
    const entry = this.#ids.lookup(this.#transports, transportId, 'TRANSPORT_NOT_FOUND', 'transport');
    if (entry.connected) throw wrongState(`transport ${transportId} is already connected`);
    if (entry.type === 'webrtc') {
      if (!('dtlsParameters' in request))
        throw badRequest('VALIDATION_FAILED', 'a WebRTC transport needs dtlsParameters');
      entry.connected = true;
      await entry.transport.connect({ dtlsParameters: request.dtlsParameters });
      return;
    }
    if (!('ip' in request)) throw badRequest('VALIDATION_FAILED', 'a plain transport needs ip and port');
    const plain = entry.transport as types.PlainTransport;
    if (plain.srtpParameters && !request.srtpParameters) {
      throw badRequest('VALIDATION_FAILED', 'this plain transport uses SRTP: srtpParameters are required');
    }
    entry.connected = true;
    await plain.connect({ ip: request.ip, port: request.port, srtpParameters: request.srtpParameters });
  }

  async produce(request: ProduceRequest): Promise<string> {
    const entry = this.#ids.lookup(this.#transports, request.transportId, 'TRANSPORT_NOT_FOUND', 'transport');
    if (entry.direction !== 'send') throw wrongState('producers need a send transport');
    const producer = await entry.transport.produce({
      kind: request.kind,
      rtpParameters: request.rtpParameters as types.RtpParameters,
      appData: { ...request.appData, peerId: entry.peerId },
    });
    this.#adopt(producer);
    return producer.id;
  }

  #adopt(producer: types.Producer): void {
    this.#producers.set(producer.id, producer);
    this.#ids.issue(producer.id);
    producer.observer.once('close', () => {
      this.#producers.delete(producer.id);
      this.#pipes.forget(producer.id);
    });
  }

  async consume(request: ConsumeRequest): Promise<ConsumeResponse> {
    const entry = this.#ids.lookup(this.#transports, request.transportId, 'TRANSPORT_NOT_FOUND', 'transport');
    if (entry.direction !== 'recv') throw wrongState('consumers need a receive transport');
    this.#ids.lookup(this.#producers, request.producerId, 'PRODUCER_NOT_FOUND', 'producer');
    const router = await this.#routerOn(entry.slot);
    await this.#pipes.ensure(this.#requireOrigin().router, request.producerId, router);
    const rtpCapabilities = request.rtpCapabilities as types.RtpCapabilities;
    if (!router.canConsume({ producerId: request.producerId, rtpCapabilities })) {
      throw badRequest('CANNOT_CONSUME', 'these rtpCapabilities cannot receive this producer');
    }
    const consumer = await entry.transport.consume({
      producerId: request.producerId,
      rtpCapabilities,
      paused: request.paused ?? true,
    });
    this.#consumers.set(consumer.id, { consumer, transportId: entry.transport.id });
    this.#ids.issue(consumer.id);
    consumer.observer.once('close', () => this.#consumers.delete(consumer.id));
    return {
      consumerId: consumer.id,
      producerId: request.producerId,
      kind: consumer.kind,
      rtpParameters: consumer.rtpParameters as Record<string, unknown>,
      paused: consumer.paused,
    };
  }

  async resumeConsumer(consumerId: string): Promise<void> {
    const { consumer } = this.#ids.lookup(this.#consumers, consumerId, 'CONSUMER_NOT_FOUND', 'consumer');
    await consumer.resume();
  }

  /** New ICE credentials for a WebRTC transport whose client lost its network path (DTLS stays). */
  async restartIce(transportId: string): Promise<types.IceParameters> {
    const entry = this.#ids.lookup(this.#transports, transportId, 'TRANSPORT_NOT_FOUND', 'transport');
    if (entry.type !== 'webrtc') throw wrongState('only WebRTC transports have ICE');
    return (entry.transport as types.WebRtcTransport).restartIce();
  }

  closeTransport(transportId: string): void {
    this.#ids.lookup(this.#transports, transportId, 'TRANSPORT_NOT_FOUND', 'transport').transport.close();
  }

  closeProducer(producerId: string): void {
    this.#ids.lookup(this.#producers, producerId, 'PRODUCER_NOT_FOUND', 'producer').close();
  }

  closeConsumer(consumerId: string): void {
    this.#ids.lookup(this.#consumers, consumerId, 'CONSUMER_NOT_FOUND', 'consumer').consumer.close();
  }

  /** Counts per worker index, for `/metrics` and `/v1/workers`. */
  consumersOn(slot: WorkerSlot): number {
    return consumersOn(this.#consumers.values(), this.#transports, slot);
  }

  transportsOn(slot: WorkerSlot): number {
    return transportsOn(this.#transports.values(), slot);
  }

  async stats(): Promise<SessionStats> {
    const { bytesReceived, bytesSent } = await sumTransportBytes(this.#transports.values());
    return {
      sessionId: this.sessionId,
      generation: this.generation,
      needsRebuild: this.needsRebuild,
      routers: this.#routers.size,
      workers: [...this.#routers.keys()].map((slot) => slot.index),
      transports: this.#transports.size,
      producers: this.#producers.size,
      consumers: this.#consumers.size,
      bytesReceived,
      bytesSent,
    };
  }

  /**
   * After a worker hosting part of this session died: every transport, producer and consumer is
   * retired (a partial repair would leave listeners on healthy workers fed by a pipe from a dead
   * origin), a new origin router is placed on a live worker, and the generation increments so the
   * edge knows the host must produce again and listeners consume again.
   */
  async rebuild(): Promise<void> {
    this.#ids.retireAll();
    this.#closeRouters();
    this.generation++;
    this.needsRebuild = true;
    // With one worker, the origin waits for its replacement; new transports wait for the origin.
    this.#rebuilding = this.#placeOrigin();
    await this.#rebuilding;
    log.warn({ sessionId: this.sessionId, generation: this.generation }, 'session media rebuilt');
  }

  acknowledgeRebuild(): void {
    this.needsRebuild = false;
  }

  #closeRouters(): void {
    for (const [slot, router] of this.#routers) {
      if (slot.alive) router.then((r) => r.close()).catch(() => undefined);
    }
    this.#routers.clear();
    this.#transports.clear();
    this.#producers.clear();
    this.#consumers.clear();
    this.#pipes.clear();
    this.nodePipes.clear();
    this.#origin = undefined;
  }

  /** Closes every router of the session (which closes its transports, producers, consumers). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    // Listener load is given back by each transport's close observer.
    this.#closeRouters();
  }
}
