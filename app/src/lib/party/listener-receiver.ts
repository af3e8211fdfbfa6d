/**
 * The listener's received audio: one receive transport and the consumer of the host's current
 * producer, attached to the page's audio output. A new producer during a consume queues one more
 * consume; an attempt overtaken by `reset()` closes whatever it still makes.
 */
import type { DtlsParameters, RtpCapabilities } from '@dmp-party/protocol';
import { IceRecovery } from './ice-recovery';
import { sameDtls } from './page-certificate';
import { errorCodeOf, type PartyConnection } from './party-connection';
import type {
  AudioOutput,
  ConsumerOptions,
  ListenerMedia,
  MediaConsumer,
  MediaTransport,
  TransportOptions,
} from './session-media';

export interface ReceiverEvents {
  /** A consumer is attached and resumed on the media node: sound can start. */
  attached(): Promise<void>;
  /** The consumer is gone (closed producer, reset). */
  detached(): void;
  /** A point on the way to first audio, for the time-to-first-audio benchmark. */
  mark(name: string): void;
}

/**
 * The receive path a join answered with: the socket's transport, and the consumer of the host's
 * producer already made and resumed on it (one exchange instead of three before sound).
 */
export interface JoinedReceive {
  transport: TransportOptions;
  consumer: ConsumerOptions | null;
  /** The edge connected the transport with this page's DTLS parameters: no `connectTransport`. */
  connected: boolean;
}

/** What the current join returned, which every consume of this socket uses. */
interface JoinContext {
  connection: PartyConnection;
  routerRtpCapabilities: RtpCapabilities;
  /** The join's receive path, until the first consume uses it. */
  prefetched: JoinedReceive | undefined;
}

export class ListenerReceiver<T extends MediaTransport, C extends MediaConsumer> {
  readonly #media: ListenerMedia<T, C>;
  readonly #output: AudioOutput;
  readonly #events: ReceiverEvents;
  #join: JoinContext | undefined;
  #transport: T | undefined;
  #consumer: C | undefined;
  #consuming: Promise<void> | undefined;
  #ice: IceRecovery | undefined;
  /** A new producer arrived while a consume was in flight: consume again once it settles. */
  #again = false;
  /** Bumped by every `reset()`: an attempt started under an older value is stale. */
  #epoch = 0;
  /** What the loaded device receives, sent with later joins so their consumer fits it exactly. */
  #rtpCapabilities: RtpCapabilities | undefined;

  constructor(media: ListenerMedia<T, C>, output: AudioOutput, events: ReceiverEvents) {
    this.#media = media;
    this.#output = output;
    this.#events = events;
  }

  get transport(): T | undefined {
    return this.#transport;
  }

  get consumer(): C | undefined {
    return this.#consumer;
  }

  /**
   * What a join asks for: the receive path in the same exchange, for the device once it is loaded,
   * connected with this page's DTLS parameters when the browser can tell them up front.
   */
  async receiveRequest(): Promise<{ rtpCapabilities?: RtpCapabilities; dtlsParameters?: DtlsParameters }> {
    const dtlsParameters = await this.#media.localDtlsParameters?.();
    return {
      ...(this.#rtpCapabilities && { rtpCapabilities: this.#rtpCapabilities }),
      ...(dtlsParameters && { dtlsParameters }),
    };
  }

  /** The socket joined: consumes from now on go through it. */
  joined(context: JoinContext): void {
    this.#join = context;
  }

  /** Closes the local transport and consumer and abandons any attempt in flight. */
  reset(): void {
    this.#epoch += 1;
    this.#consuming = undefined;
    this.#again = false;
    if (this.#join) this.#join.prefetched = undefined;
    this.dropConsumer();
    this.#ice?.stop();
    this.#ice = undefined;
    this.#transport?.close();
    this.#transport = undefined;
  }

  /** Resets and forgets the join: a new socket (or none) comes next. */
  leave(): void {
    this.reset();
    this.#join = undefined;
  }

  /** Closes the consumer (of `producerId` only, when given). */
  dropConsumer(producerId?: string): void {
    if (!this.#consumer || (producerId && this.#consumer.producerId !== producerId)) return;
    this.#consumer.close();
    this.#consumer = undefined;
    this.#events.detached();
  }

  /** Consumes the host's current producer; a call during an attempt queues one more. */
  consume(): Promise<void> {
    if (this.#consuming) {
      this.#again = true;
      return this.#consuming;
    }
    const join = this.#join;
    if (!join) return Promise.resolve();
    const epoch = this.#epoch;
    const attempt = this.#consumeOnce(join, epoch)
      .catch((error: unknown) => {
        const code = errorCodeOf(error);
        // PRODUCER_NOT_FOUND: the host has not produced yet, and `producerAvailable` will come.
        if (epoch === this.#epoch && code !== 'PRODUCER_NOT_FOUND' && code !== 'DISCONNECTED')
          console.warn('[party] consume failed', code, (error as Error).message);
      })
      .finally(() => {
        if (epoch !== this.#epoch) return;
        this.#consuming = undefined;
        if (this.#again) {
          this.#again = false;
          void this.consume();
        }
      });
    this.#consuming = attempt;
    return attempt;
  }

  async #consumeOnce(join: JoinContext, epoch: number): Promise<void> {
    const { connection } = join;
    const stale = () => epoch !== this.#epoch;
    const rtpCapabilities = await this.#media.loadDevice(join.routerRtpCapabilities);
    this.#rtpCapabilities = rtpCapabilities;
    this.#events.mark('party:device-loaded');
    if (stale()) return;
    const prefetched = join.prefetched;
    join.prefetched = undefined;
    let transport = this.#transport;
    let joinedConsumer: ConsumerOptions | null = null;
    if (!transport || transport.closed) {
      const options = prefetched
        ? prefetched.transport
        : await connection.request({ type: 'createRecvTransport' }, 'transportCreated');
      if (stale()) return;
      const connectedWith = prefetched?.connected ? await this.#media.localDtlsParameters?.() : undefined;
      transport = await this.#media.createRecvTransport(options, {
        connect: async (dtlsParameters) => {
          // The join connected it already: the handshake can start at once.
          if (connectedWith && sameDtls(connectedWith, dtlsParameters)) return;
          await connection.request(
            { type: 'connectTransport', transportId: options.transportId, dtlsParameters },
            'ok',
          );
        },
      });
      if (stale()) return transport.close();
      this.#transport = transport;
      joinedConsumer = prefetched?.consumer ?? null;
      this.#ice = new IceRecovery(transport, connection, {
        // ICE could not come back on this transport: a new transport and consumer, same socket.
        rebuild: (reason) => {
          if (stale()) return;
          console.warn('[party] receiving anew:', reason);
          this.reset();
          void this.consume();
        },
        restarting: (attempt) => console.warn('[party] receive path lost, restarting ICE', attempt),
      });
      this.#events.mark('party:transport-created');
    }
    const consumer = await this.#consumeOn(transport, rtpCapabilities, joinedConsumer);
    if (stale()) return consumer?.close();
    if (!consumer) {
      // The join's consumer did not fit the device, and its transport may carry the head script's
      // negotiation of it (`early-receive.ts`), which no other consumer can follow: start again.
      this.reset();
      void this.consume();
      return;
    }
    this.dropConsumer();
    this.#consumer = consumer;
    this.#output.attach(consumer.track);
    this.#events.mark('party:consumer-created');
    await this.#events.attached();
  }

  /**
   * The consumer on `transport`: the one the join made (undefined when the device refuses it), else
   * one asked for now, made resumed on the media node while the browser sets up its side (audio
   * needs no keyframe, so no `resumeConsumer` round trip holds the sound back).
   */
  async #consumeOn(transport: T, rtpCapabilities: RtpCapabilities, joined: ConsumerOptions | null) {
    if (joined)
      return this.#media.consume(transport, joined).catch((error: unknown) => {
        console.warn('[party] the joined consumer did not fit this device', (error as Error).message);
        return undefined;
      });
    const connection = this.#join?.connection;
    if (!connection) throw new Error('not joined');
    const consumed = await connection.request(
      { type: 'consume', transportId: transport.id, rtpCapabilities, paused: false },
      'consumed',
    );
    return this.#media.consume(transport, consumed);
  }
}
