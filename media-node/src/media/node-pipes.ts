import type {
  ConnectPipeTransportRequest,
  PipeConsumeRequest,
  PipeConsumeResponse,
  PipeProduceRequest,
  PipeTransportInfo,
} from '@dmp-party/protocol';
import type { types } from 'mediasoup';
import { notFound } from '../errors';
import type { TransportAddressing } from './transport-factory';

/** What a session lends its pipes to other nodes. */
export interface PipeHost {
  /** The router where the session's producers live. */
  origin(): types.Router;
  /** One of the session's producers (coded error when unknown). */
  producer(producerId: string): types.Producer;
  /** Makes a producer fed by a pipe one of the session's own, so listeners here can consume it. */
  adopt(producer: types.Producer): void;
}

/**
 * One session's PipeTransports to and from other media nodes (mediasoup's own cascade, SRTP on):
 * the edge creates one on each node, connects them to each other, consumes the producer on the
 * origin's end and produces it, with the same id, on the other's.
 */
export class NodePipes {
  readonly #host: PipeHost;
  readonly #addressing: TransportAddressing;
  readonly #transports = new Map<string, types.PipeTransport>();
  readonly #consumers = new Set<types.Consumer>();

  constructor(host: PipeHost, addressing: TransportAddressing) {
    this.#host = host;
    this.#addressing = addressing;
  }

  get transportCount(): number {
    return this.#transports.size;
  }

  async create(): Promise<PipeTransportInfo> {
    const transport = await this.#host.origin().createPipeTransport({
      listenIp: { ip: this.#addressing.listenIp, announcedIp: this.#addressing.announcedAddress },
      enableSrtp: true,
      // Loss between nodes is rare and RTX would double what a lost packet costs to recover.
      enableRtx: false,
    });
    this.#transports.set(transport.id, transport);
    transport.observer.once('close', () => this.#transports.delete(transport.id));
    return {
      transportId: transport.id,
      ip: this.#addressing.announcedAddress ?? transport.tuple.localIp,
      port: transport.tuple.localPort,
      srtpParameters: transport.srtpParameters as PipeTransportInfo['srtpParameters'],
    };
  }

  async connect(transportId: string, request: ConnectPipeTransportRequest): Promise<void> {
    await this.#find(transportId).connect(request);
  }

  close(transportId: string): void {
    this.#find(transportId).close();
  }

  async consume(request: PipeConsumeRequest): Promise<PipeConsumeResponse> {
    const transport = this.#find(request.transportId);
    const producer = this.#host.producer(request.producerId);
    const consumer = await transport.consume({ producerId: producer.id });
    this.#consumers.add(consumer);
    consumer.observer.once('close', () => this.#consumers.delete(consumer));
    return {
      consumerId: consumer.id,
      kind: consumer.kind,
      rtpParameters: consumer.rtpParameters as PipeConsumeResponse['rtpParameters'],
      producerPaused: consumer.producerPaused,
    };
  }

  async produce(request: PipeProduceRequest): Promise<string> {
    const producer = await this.#find(request.transportId).produce({
      id: request.producerId,
      kind: request.kind,
      rtpParameters: request.rtpParameters as types.RtpParameters,
      paused: request.paused,
    });
    this.#host.adopt(producer);
    return producer.id;
  }

  #find(transportId: string): types.PipeTransport {
    const transport = this.#transports.get(transportId);
    if (!transport) throw notFound('TRANSPORT_NOT_FOUND', 'pipe transport', transportId);
    return transport;
  }

  clear(): void {
    this.#transports.clear();
    this.#consumers.clear();
  }
}
