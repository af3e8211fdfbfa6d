/**
 * Messages between browsers (host and listeners) and the edge's PartySession Durable Object over
 * WebSocket. One discriminated union per direction, on `type`. Every request carries a `reqId`;
 * its reply (or `error`) echoes it. Host-only messages are refused for listeners with `NOT_HOST`.
 */
import { z } from 'zod';
import {
  AUDIENCE_HOST_MESSAGES,
  AUDIENCE_LISTENER_MESSAGES,
  AUDIENCE_SERVER_MESSAGES,
} from './audience-messages';
import { ErrorCodeSchema } from './errors';
import { MediaIdSchema, RequestIdSchema, SessionIdSchema } from './ids';
import {
  DtlsParametersSchema,
  IceCandidateSchema,
  IceParametersSchema,
  IceServerSchema,
  LocalDtlsParametersSchema,
  MediaKindSchema,
  RtpCapabilitiesSchema,
  RtpParametersSchema,
} from './rtp';

/** Largest WebSocket frame the edge accepts from a client, in bytes. */
export const MAX_CLIENT_MESSAGE_BYTES = 16 * 1024;

/** Position within the current track, in milliseconds. */
const PositionMsSchema = z
  .number()
  .int()
  .min(0)
  .max(24 * 3600 * 1000);

/** What the host is playing. Track ids are catalog ids, the same for host and listeners. */
export const NowPlayingSchema = z.strictObject({
  trackId: z.string().min(1).max(128),
  title: z.string().max(512),
  artist: z.string().max(512),
  release: z.string().max(512).optional(),
  /** Cover URL relative to the listener site, or absent. */
  coverUrl: z.string().max(1024).optional(),
  durationMs: PositionMsSchema.optional(),
});
export type NowPlaying = z.infer<typeof NowPlayingSchema>;

/** The party's playback state as stored by the DO and sent to listeners on join. */
export const PlaybackStateSchema = z.object({
  nowPlaying: NowPlayingSchema.nullable(),
  paused: z.boolean(),
  positionMs: PositionMsSchema,
  /** Edge clock (ms since epoch) when `positionMs` was true; listeners extrapolate from it. */
  positionAt: z.number(),
});
export type PlaybackState = z.infer<typeof PlaybackStateSchema>;

const request = <K extends string, T extends z.ZodRawShape>(type: K, shape: T) =>
  z.strictObject({ type: z.literal(type), reqId: RequestIdSchema, ...shape });

// --- Client -> edge --------------------------------------------------------------------------

/**
 * Asks for new ICE credentials for one of the sender's own transports (host or listener), after its
 * connection failed or stayed disconnected (e.g. a phone moved from Wi-Fi to cellular): the browser
 * restarts ICE with them and keeps its DTLS session, producers and consumers.
 */
const RestartIceSchema = request('restartIce', { transportId: MediaIdSchema });

export const HostMessageSchema = z.discriminatedUnion('type', [
  request('createSession', {
    /**
     * After a reconnect: the producer this page still publishes. The edge keeps it (and its send
     * transport) when it is still the party's producer, so listeners hear no gap.
     */
    keepProducerId: MediaIdSchema.optional(),
    /**
     * Ask for the send transport in the same exchange, when the host is about to publish (it plays
     * and keeps no producer): a host's refresh then waits for no `createTransport` round trip. With
     * `dtlsParameters` (the page's certificate, made before it asked) the edge connects it too, and
     * no `connectTransport` round trip either. Ignored when the edge keeps the producer.
     */
    send: z.strictObject({ dtlsParameters: DtlsParametersSchema.optional() }).optional(),
  }),
  request('createTransport', { direction: z.enum(['send', 'recv']) }),
  request('connectTransport', { transportId: MediaIdSchema, dtlsParameters: DtlsParametersSchema }),
  request('produce', {
    transportId: MediaIdSchema,
    kind: MediaKindSchema,
    rtpParameters: RtpParametersSchema,
  }),
  request('nowPlaying', { track: NowPlayingSchema, positionMs: PositionMsSchema.default(0) }),
  request('pause', { positionMs: PositionMsSchema }),
  request('resume', { positionMs: PositionMsSchema }),
  request('seek', { positionMs: PositionMsSchema }),
  request('position', { positionMs: PositionMsSchema }),
  request('endSession', {}),
  RestartIceSchema,
  ...AUDIENCE_HOST_MESSAGES,
]);
export type HostMessage = z.infer<typeof HostMessageSchema>;

export const ListenerMessageSchema = z.discriminatedUnion('type', [
  request('join', {
    /**
     * Ask for a receive transport, and the consumer of the host's producer when there is one, in
     * the same exchange (one round trip to first audio instead of three). The consumer is made for
     * `rtpCapabilities` (the loaded device's), or for the router's own when the page has not loaded
     * its device yet (every WebRTC browser receives Opus); it comes already resumed, since no packet
     * can flow before the browser's DTLS is up anyway. With `dtlsParameters` (the page made its
     * certificate before joining, so it knows its fingerprint up front) the edge connects the
     * transport too, and the browser's DTLS handshake needs no `connectTransport` round trip.
     */
    receive: z
      .strictObject({
        rtpCapabilities: RtpCapabilitiesSchema.optional(),
        dtlsParameters: DtlsParametersSchema.optional(),
      })
      .optional(),
  }),
  request('createRecvTransport', {}),
  request('connectTransport', { transportId: MediaIdSchema, dtlsParameters: DtlsParametersSchema }),
  request('consume', {
    transportId: MediaIdSchema,
    rtpCapabilities: RtpCapabilitiesSchema,
    /**
     * `false`: the consumer comes resumed, and no `resumeConsumer` round trip holds the sound back
     * (audio needs no keyframe; the first packets may reach the browser just before its side of
     * the consumer is set up, and are dropped there). Absent or `true`: paused, as before.
     */
    paused: z.boolean().optional(),
  }),
  request('resumeConsumer', { consumerId: MediaIdSchema }),
  RestartIceSchema,
  ...AUDIENCE_LISTENER_MESSAGES,
]);
export type ListenerMessage = z.infer<typeof ListenerMessageSchema>;

const LISTENER_TYPES: ReadonlySet<string> = new Set(
  ListenerMessageSchema.options.map((option) => option.shape.type.value),
);

/** The names of host-only messages, so a listener sending one gets `NOT_HOST`, not `UNKNOWN_MESSAGE`. */
export const HOST_ONLY_TYPES: ReadonlySet<string> = new Set(
  HostMessageSchema.options
    .map((option) => option.shape.type.value)
    .filter((type) => !LISTENER_TYPES.has(type)),
);

// --- Edge -> client --------------------------------------------------------------------------

const reply = <K extends string, T extends z.ZodRawShape>(type: K, shape: T) =>
  z.object({ type: z.literal(type), reqId: RequestIdSchema, ...shape });
const event = <K extends string, T extends z.ZodRawShape>(type: K, shape: T) =>
  z.object({ type: z.literal(type), ...shape });

export const TransportOptionsSchema = z.object({
  transportId: MediaIdSchema,
  iceParameters: IceParametersSchema,
  iceCandidates: z.array(IceCandidateSchema),
  dtlsParameters: LocalDtlsParametersSchema,
  iceServers: z.array(IceServerSchema).optional(),
});

/** A consumer the edge made for a listener: what mediasoup-client's `consume()` takes. */
export const ConsumerOptionsSchema = z.object({
  consumerId: MediaIdSchema,
  producerId: MediaIdSchema,
  kind: MediaKindSchema,
  rtpParameters: z.record(z.string(), z.unknown()),
});

export const ServerMessageSchema = z.discriminatedUnion('type', [
  event('welcome', { v: z.number().int(), role: z.enum(['host', 'listener']), sessionId: SessionIdSchema }),
  reply('sessionCreated', {
    sessionId: SessionIdSchema,
    inviteUrl: z.string(),
    routerRtpCapabilities: RtpCapabilitiesSchema,
    iceServers: z.array(IceServerSchema),
    /** True when the host reconnected to a session that already existed. */
    resumed: z.boolean(),
    /**
     * True when the producer named by `keepProducerId` stays the party's producer; otherwise the
     * edge closed whatever this host published before, and the host publishes anew.
     */
    producerKept: z.boolean().optional(),
    /** With `send`: the host's send transport (null when the media node could not make one). */
    sendTransport: TransportOptionsSchema.nullable().optional(),
    /** With `send.dtlsParameters`: true when the edge connected `sendTransport` with them. */
    sendTransportConnected: z.boolean().optional(),
  }),
  reply('transportCreated', TransportOptionsSchema.shape),
  reply('produced', { producerId: MediaIdSchema }),
  /** The answer to `restartIce`: the transport's new ICE credentials on the media node. */
  reply('iceRestarted', { iceParameters: IceParametersSchema }),
  reply('joined', {
    routerRtpCapabilities: RtpCapabilitiesSchema,
    iceServers: z.array(IceServerSchema),
    state: PlaybackStateSchema,
    hostConnected: z.boolean(),
    /** The host's current producer, or null until the host starts playing. */
    producerId: MediaIdSchema.nullable(),
    /** Edge clock (ms since epoch) when this was sent, so listeners can age `state.positionAt`. */
    serverTime: z.number().optional(),
    /** With `receive`: the socket's receive transport (null when the media node could not make one). */
    transport: TransportOptionsSchema.nullable().optional(),
    /** With `receive` and a producer: its consumer on that transport, already resumed. */
    consumer: ConsumerOptionsSchema.nullable().optional(),
    /** With `receive.dtlsParameters`: true when the edge connected `transport` with them. */
    transportConnected: z.boolean().optional(),
  }),
  reply('consumed', ConsumerOptionsSchema.shape),
  reply('ok', {}),
  z.object({
    type: z.literal('error'),
    reqId: RequestIdSchema.optional(),
    code: ErrorCodeSchema,
    message: z.string(),
  }),
  event('state', {
    state: PlaybackStateSchema,
    /** Edge clock (ms since epoch) when this was sent. */
    serverTime: z.number().optional(),
  }),
  event('listenerCount', { count: z.number().int().nonnegative() }),
  /** A (new or replaced) producer is available: listeners consume it. */
  event('producerAvailable', { producerId: MediaIdSchema }),
  event('producerClosed', { producerId: MediaIdSchema }),
  event('hostStatus', { connected: z.boolean() }),
  /** The media path was lost (e.g. a media worker died): host re-produces, listeners re-consume. */
  event('mediaReset', { reason: z.string() }),
  event('sessionEnded', { reason: z.enum(['host-ended', 'host-timeout', 'media-lost']) }),
  ...AUDIENCE_SERVER_MESSAGES,
]);
export type ServerMessage = z.infer<typeof ServerMessageSchema>;
