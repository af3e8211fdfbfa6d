/**
 * What the party sessions need from WebRTC, as small interfaces: in the browser they are
 * mediasoup-client's own objects (`mediasoup-media.ts`), in unit tests fakes (WebRTC does not run
 * in Node). The sessions decide what to create, keep and close; these only do it.
 */
import type { DtlsParameters, IceParameters, RtpCapabilities, RtpParameters } from '@dmp-party/protocol';
import type { ServerMessageOf } from './party-connection';

/** A mediasoup-client transport as the sessions and the debug page see it. */
export interface MediaTransport {
  readonly id: string;
  readonly closed: boolean;
  /** `new`, `connecting`, `connected`, `disconnected`, `failed` or `closed`. */
  readonly connectionState: string;
  getStats(): Promise<RTCStatsReport>;
  /** Restarts ICE with the media node's new credentials; DTLS and what the transport carries stay. */
  restartIce(options: { iceParameters: IceParameters }): Promise<void>;
  /** Follows `connectionState` (for recovering from a lost network path). */
  on(event: 'connectionstatechange', listener: (state: string) => void): unknown;
  close(): void;
}

export interface MediaProducer {
  readonly id: string;
  readonly closed: boolean;
  readonly paused: boolean;
  close(): void;
}

export interface MediaConsumer {
  readonly id: string;
  readonly producerId: string;
  readonly closed: boolean;
  readonly paused: boolean;
  readonly track: MediaStreamTrack;
  close(): void;
}

/** A transport as the edge describes it: a `transportCreated` reply, or the one a join answered with. */
export type TransportOptions = Omit<ServerMessageOf<'transportCreated'>, 'type' | 'reqId'>;
export type ConsumedOptions = ServerMessageOf<'consumed'>;
/** A consumer as the edge describes it: a `consumed` reply, or the one a join answered with. */
export type ConsumerOptions = Omit<ConsumedOptions, 'type' | 'reqId'>;

/** How a transport reaches the edge: its DTLS handshake, and for a send transport, each produce. */
export interface TransportSignalling {
  connect(dtlsParameters: DtlsParameters): Promise<void>;
  /** Asks the edge to produce on this transport; resolves with the producer's id. */
  produce?(kind: 'audio' | 'video', rtpParameters: RtpParameters): Promise<string>;
}

/** The host's media: a send transport, and the captured player audio published on it. */
export interface HostMedia<
  T extends MediaTransport = MediaTransport,
  P extends MediaProducer = MediaProducer,
> {
  /**
   * The DTLS parameters the page's send transports present (its one certificate), known before
   * any transport exists, so `createSession` can have the edge connect the send transport it
   * makes; undefined where the browser cannot tell.
   */
  localDtlsParameters?(): Promise<DtlsParameters | undefined>;
  createSendTransport(
    routerRtpCapabilities: RtpCapabilities,
    options: TransportOptions,
    signalling: Required<TransportSignalling>,
  ): Promise<T>;
  /** Captures the player's audio (once per page) and publishes it on `transport` with music settings. */
  produce(transport: T): Promise<P>;
}

/** The listener's media: a receive transport and consumers on it. */
export interface ListenerMedia<
  T extends MediaTransport = MediaTransport,
  C extends MediaConsumer = MediaConsumer,
> {
  /** Starts what loading the device needs from the browser alone, before the router's answer. */
  prepare?(): void;
  /** Loads the device (once per page) and reports what it can receive. */
  loadDevice(routerRtpCapabilities: RtpCapabilities): Promise<RtpCapabilities>;
  /**
   * The DTLS parameters every receive transport of this page presents (one certificate per page),
   * known before any transport exists, so a join can have the edge connect its transport; undefined
   * where the browser cannot tell.
   */
  localDtlsParameters?(): Promise<DtlsParameters | undefined>;
  createRecvTransport(options: TransportOptions, signalling: TransportSignalling): Promise<T>;
  consume(transport: T, consumed: ConsumerOptions): Promise<C>;
}

/** Where a listener's sound plays: the page's own `<audio>` element in the browser. */
export interface AudioOutput {
  /** Plays `track` from now on; null detaches whatever played. */
  attach(track: MediaStreamTrack | null): void;
  /** Starts sound; false when the autoplay policy wants a user gesture first. */
  play(): Promise<boolean>;
  pause(): void;
  setVolume(volume: number): void;
  /** Calls `listener` once, when the attached track first plays, with the time (ms since navigation). */
  onceAudible(listener: (at: number) => void): void;
}
