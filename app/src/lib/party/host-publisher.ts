/**
 * The host's published audio: one send transport and one producer on it, made on demand (at the
 * first playback, not at session start) and closed by whoever replaces them. Concurrent callers
 * share one attempt; an attempt overtaken by `drop()` closes whatever it still makes, so a stale
 * transport never outlives the decision that replaced it.
 */
import type { DtlsParameters, RtpCapabilities, RtpParameters } from '@dmp-party/protocol';
import { IceRecovery } from './ice-recovery';
import { sameDtls } from './page-certificate';
import { errorCodeOf, type PartyConnection } from './party-connection';
import type { HostMedia, MediaProducer, MediaTransport, TransportOptions } from './session-media';

interface PrefetchedTransport {
  options: TransportOptions;
  connectedWith?: DtlsParameters;
}

/** Transport states from which a transport never recovers (mediasoup-client's names). */
const DEAD_TRANSPORT_STATES = new Set(['failed', 'closed']);

export interface PublisherEvents {
  /** Whether a producer is live, for the UI. */
  producing(live: boolean): void;
  /** A publish attempt failed for a reason other than the socket dropping. */
  failed(message: string): void;
  /** The send transport's network path is gone for good (ICE restarts did not help): publish anew. */
  pathLost(reason: string): void;
}

export class HostPublisher<T extends MediaTransport, P extends MediaProducer> {
  readonly #media: HostMedia<T, P>;
  readonly #events: PublisherEvents;
  #transport: T | undefined;
  #producer: P | undefined;
  #attempt: Promise<void> | undefined;
  #ice: IceRecovery | undefined;
  /** Bumped by every `drop()`: an attempt started under an older value is stale. */
  #epoch = 0;
  /** A send transport the edge made in `createSession`'s exchange, for the next attempt. */
  #prefetched: PrefetchedTransport | undefined;

  constructor(media: HostMedia<T, P>, events: PublisherEvents) {
    this.#media = media;
    this.#events = events;
  }

  get transport(): T | undefined {
    return this.#transport;
  }

  get producer(): P | undefined {
    return this.#producer;
  }

  /** The producer's id while it and its transport can still carry audio (worth keeping on resume). */
  liveProducerId(): string | undefined {
    const transport = this.#transport;
    const producer = this.#producer;
    if (!transport || !producer || transport.closed || producer.closed) return undefined;
    if (DEAD_TRANSPORT_STATES.has(transport.connectionState)) return undefined;
    return producer.id;
  }

  /** Publishes over `connection` unless a producer is live; concurrent callers share one attempt. */
  ensure(connection: PartyConnection, routerRtpCapabilities: RtpCapabilities): Promise<void> {
    if (this.#producer && !this.#producer.closed) return Promise.resolve();
    if (this.#attempt) return this.#attempt;
    // A transport whose producer died is of no further use: replace both.
    this.#closeLocal();
    const epoch = this.#epoch;
    const attempt = this.#publish(connection, routerRtpCapabilities, epoch)
      .catch((error: unknown) => {
        if (epoch !== this.#epoch || errorCodeOf(error) === 'DISCONNECTED') return;
        this.#events.failed(`publishing failed: ${(error as Error).message}`);
      })
      .finally(() => {
        if (epoch === this.#epoch) this.#attempt = undefined;
      });
    this.#attempt = attempt;
    return attempt;
  }

  /**
   * The send transport the edge made along with the session (connected with `connectedWith`, the
   * page's DTLS parameters, when it says so): the next attempt publishes on it instead of asking
   * for one. `drop()` forgets it (the edge closes it once another transport produces).
   */
  prefetch(options: TransportOptions, connectedWith?: DtlsParameters): void {
    this.#prefetched = { options, ...(connectedWith && { connectedWith }) };
  }

  /** Closes the local producer and transport and abandons any attempt in flight. */
  drop(): void {
    this.#epoch += 1;
    this.#attempt = undefined;
    this.#prefetched = undefined;
    this.#closeLocal();
  }

  async #publish(connection: PartyConnection, caps: RtpCapabilities, epoch: number): Promise<void> {
    const prefetched = this.#prefetched;
    this.#prefetched = undefined;
    const options =
      prefetched?.options ??
      (await connection.request({ type: 'createTransport', direction: 'send' }, 'transportCreated'));
    if (epoch !== this.#epoch) return;
    const connectedWith = prefetched?.connectedWith;
    const transport = await this.#media.createSendTransport(caps, options, {
      connect: async (dtlsParameters) => {
        // The edge connected it with these already: the handshake can start at once.
        if (connectedWith && sameDtls(connectedWith, dtlsParameters)) return;
        await connection.request(
          { type: 'connectTransport', transportId: options.transportId, dtlsParameters },
          'ok',
        );
      },
      produce: async (kind, rtpParameters: RtpParameters) => {
        const request = { type: 'produce', transportId: options.transportId, kind, rtpParameters } as const;
        return (await connection.request(request, 'produced')).producerId;
      },
    });
    if (epoch !== this.#epoch) {
      transport.close();
      return;
    }
    this.#transport = transport;
    // A host on a flaky network (or one that changes networks) keeps publishing on this transport.
    this.#ice = new IceRecovery(transport, connection, {
      rebuild: (reason) => {
        if (epoch === this.#epoch) this.#events.pathLost(reason);
      },
      restarting: (attempt) => console.warn('[party] send path lost, restarting ICE', attempt),
    });
    const producer = await this.#media.produce(transport);
    if (epoch !== this.#epoch) {
      producer.close();
      return;
    }
    this.#producer = producer;
    this.#events.producing(true);
  }

  #closeLocal(): void {
    this.#ice?.stop();
    this.#ice = undefined;
    this.#producer?.close();
    this.#transport?.close();
    this.#producer = undefined;
    this.#transport = undefined;
    this.#events.producing(false);
  }
}
