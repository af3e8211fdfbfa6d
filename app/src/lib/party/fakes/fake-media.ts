/**
 * Fake WebRTC for the sessions' unit tests (mediasoup-client needs a browser). Like
 * mediasoup-client, a transport signals its DTLS `connect` on first use and a send transport asks
 * the edge for each `produce`, so the requests a session sends are the real sequence.
 */
import type { DtlsParameters, IceParameters, RtpCapabilities, RtpParameters } from '@dmp-party/protocol';
import type {
  AudioOutput,
  ConsumerOptions,
  HostMedia,
  ListenerMedia,
  MediaConsumer,
  MediaProducer,
  MediaTransport,
  TransportOptions,
  TransportSignalling,
} from '../session-media';

/** The DTLS parameters the fake browser's transports present. */
export const FAKE_BROWSER_DTLS: DtlsParameters = {
  role: 'client',
  fingerprints: [{ algorithm: 'sha-256', value: Array.from({ length: 32 }, () => 'AB').join(':') }],
};
const OPUS: RtpParameters = {
  codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48_000, channels: 2 }],
};

export class FakeTransport implements MediaTransport {
  closed = false;
  connectionState = 'new';
  /** The ICE credentials of each `restartIce`, in order. */
  readonly iceRestarts: IceParameters[] = [];
  readonly #stateListeners: ((state: string) => void)[] = [];

  constructor(
    readonly id: string,
    readonly signalling: TransportSignalling,
  ) {}

  /** The first use of a transport starts its DTLS handshake through the edge. */
  async connectOnce(): Promise<void> {
    if (this.connectionState !== 'new') return;
    this.connectionState = 'connecting';
    await this.signalling.connect(FAKE_BROWSER_DTLS);
    this.connectionState = 'connected';
  }

  getStats(): Promise<RTCStatsReport> {
    return Promise.resolve(new Map() as unknown as RTCStatsReport);
  }

  on(_event: 'connectionstatechange', listener: (state: string) => void): this {
    this.#stateListeners.push(listener);
    return this;
  }

  /** The browser reports a new connection state (e.g. `failed` when the network path is gone). */
  setState(state: string): void {
    this.connectionState = state;
    for (const listener of this.#stateListeners) listener(state);
  }

  async restartIce({ iceParameters }: { iceParameters: IceParameters }): Promise<void> {
    this.iceRestarts.push(iceParameters);
  }

  close(): void {
    this.closed = true;
    this.connectionState = 'closed';
  }
}

export class FakeProducer implements MediaProducer {
  closed = false;
  paused = false;

  constructor(readonly id: string) {}

  close(): void {
    this.closed = true;
  }
}

export class FakeConsumer implements MediaConsumer {
  closed = false;
  paused = false;
  readonly track: MediaStreamTrack;

  constructor(
    readonly id: string,
    readonly producerId: string,
  ) {
    this.track = { id: `track-${id}` } as MediaStreamTrack;
  }

  close(): void {
    this.closed = true;
  }
}

export class FakeHostMedia implements HostMedia<FakeTransport, FakeProducer> {
  readonly transports: FakeTransport[] = [];
  readonly producers: FakeProducer[] = [];
  /** A browser that tells its DTLS parameters before any transport (as Chromium can). */
  knowsDtls = false;
  /** A browser whose certificate could not be made (its DTLS parameters reject). */
  certificateFails = false;

  async localDtlsParameters(): Promise<DtlsParameters | undefined> {
    if (this.certificateFails) throw new Error('no certificate');
    return this.knowsDtls ? FAKE_BROWSER_DTLS : undefined;
  }

  async createSendTransport(
    _caps: RtpCapabilities,
    options: TransportOptions,
    signalling: Required<TransportSignalling>,
  ): Promise<FakeTransport> {
    const transport = new FakeTransport(options.transportId, signalling);
    this.transports.push(transport);
    return transport;
  }

  async produce(transport: FakeTransport): Promise<FakeProducer> {
    await transport.connectOnce();
    const produce = transport.signalling.produce;
    if (!produce) throw new Error('not a send transport');
    const producer = new FakeProducer(await produce('audio', OPUS));
    this.producers.push(producer);
    return producer;
  }
}

export class FakeListenerMedia implements ListenerMedia<FakeTransport, FakeConsumer> {
  readonly transports: FakeTransport[] = [];
  readonly consumers: FakeConsumer[] = [];
  /** A browser that tells its DTLS parameters before any transport (as Chromium can). */
  knowsDtls = false;
  /** How often the session asked the device to prepare before the router's answer. */
  prepared = 0;
  /** Refuse the next consumer, as mediasoup-client does one the device cannot receive. */
  refuseNextConsumer = false;

  prepare(): void {
    this.prepared += 1;
  }

  async localDtlsParameters(): Promise<DtlsParameters | undefined> {
    return this.knowsDtls ? FAKE_BROWSER_DTLS : undefined;
  }

  async loadDevice(routerRtpCapabilities: RtpCapabilities): Promise<RtpCapabilities> {
    return routerRtpCapabilities;
  }

  async createRecvTransport(
    options: TransportOptions,
    signalling: TransportSignalling,
  ): Promise<FakeTransport> {
    const transport = new FakeTransport(options.transportId, signalling);
    this.transports.push(transport);
    return transport;
  }

  async consume(transport: FakeTransport, consumed: ConsumerOptions): Promise<FakeConsumer> {
    if (this.refuseNextConsumer) {
      this.refuseNextConsumer = false;
      throw new Error('cannot consume this producer');
    }
    await transport.connectOnce();
    const consumer = new FakeConsumer(consumed.consumerId, consumed.producerId);
    this.consumers.push(consumer);
    return consumer;
  }
}

/** The listener's audio element, reduced to what it was told. */
export class FakeOutput implements AudioOutput {
  track: MediaStreamTrack | null = null;
  playing = false;
  volume = 1;
  /** What `play()` answers: false as when the autoplay policy wants a gesture. */
  autoplayAllowed = true;
  #audible: ((at: number) => void)[] = [];

  attach(track: MediaStreamTrack | null): void {
    this.track = track;
  }

  async play(): Promise<boolean> {
    this.playing = this.autoplayAllowed;
    return this.autoplayAllowed;
  }

  pause(): void {
    this.playing = false;
  }

  setVolume(volume: number): void {
    this.volume = volume;
  }

  onceAudible(listener: (at: number) => void): void {
    this.#audible.push(listener);
  }

  /** The attached track starts to sound at `at`. */
  becameAudible(at: number): void {
    for (const listener of this.#audible.splice(0)) listener(at);
  }
}
