/**
 * The media node's internal HTTP API (edge -> media node), all under `/v1` and signed (see
 * `media-signing.ts`). Each route has a request schema (body) and a response schema. Path
 * parameters are validated with the id schemas. Errors use `ApiErrorBodySchema` with HTTP 400
 * (input), 401 (signature), 404 (unknown id), 409 (wrong state), 410 (id from before a rebuild),
 * 413 (body too large), 503 (no live worker).
 */
import { z } from 'zod';
import { ApiErrorBodySchema } from './errors';
import { MediaIdSchema, PeerIdSchema, SessionIdSchema } from './ids';
import {
  DtlsParametersSchema,
  IceCandidateSchema,
  IceParametersSchema,
  LocalDtlsParametersSchema,
  MediaKindSchema,
  RtpCapabilitiesSchema,
  RtpParametersSchema,
  SrtpCryptoSuiteSchema,
  SrtpParametersSchema,
} from './rtp';

/** Largest request body the media node reads; anything larger is refused with 413. */
export const MEDIA_API_MAX_BODY_BYTES = 64 * 1024;

const appDataSchema = z
  .record(z.string().max(64), z.union([z.string().max(256), z.number(), z.boolean(), z.null()]))
  .refine((value) => Object.keys(value).length <= 16, 'at most 16 appData entries');

// --- Sessions --------------------------------------------------------------------------------

/** POST /v1/sessions: create (or return the existing) router for a party session. */
export const CreateSessionRequestSchema = z.strictObject({ sessionId: SessionIdSchema });
export type CreateSessionRequest = z.infer<typeof CreateSessionRequestSchema>;

export const CreateSessionResponseSchema = z.object({
  sessionId: SessionIdSchema,
  /** Increments each time the session's media was rebuilt after a worker died. */
  generation: z.number().int().nonnegative(),
  routerRtpCapabilities: RtpCapabilitiesSchema,
});
export type CreateSessionResponse = z.infer<typeof CreateSessionResponseSchema>;

/** GET /v1/sessions/:sessionId: counts and health of one session. */
export const SessionStatsSchema = z.object({
  sessionId: SessionIdSchema,
  generation: z.number().int().nonnegative(),
  /**
   * True after a worker hosting this session died and its routers were rebuilt on live workers:
   * every transport, producer and consumer of the old generation is gone, so the host must
   * produce again and listeners consume again. Cleared by `POST .../rebuild-ack`.
   */
  needsRebuild: z.boolean(),
  routers: z.number().int(),
  workers: z.array(z.number().int()),
  transports: z.number().int(),
  producers: z.number().int(),
  consumers: z.number().int(),
  bytesReceived: z.number(),
  bytesSent: z.number(),
  /** The node is draining (SIGTERM): the edge moves this session's media elsewhere before it exits. */
  draining: z.boolean().optional(),
});
export type SessionStats = z.infer<typeof SessionStatsSchema>;

/** POST /v1/sessions/:sessionId/rebuild-ack: the edge has started rebuilding (no body). */
export const RebuildAckResponseSchema = z.object({ generation: z.number().int().nonnegative() });

/** GET /v1/sessions: every session, for reconciliation after an edge or node restart. */
export const SessionListSchema = z.object({ sessions: z.array(SessionStatsSchema) });

/** DELETE responses. */
export const ClosedResponseSchema = z.object({ closed: z.literal(true) });

// --- Transports ------------------------------------------------------------------------------

/** POST /v1/sessions/:sessionId/transports */
export const CreateTransportRequestSchema = z.discriminatedUnion('type', [
  z.strictObject({
    /** A browser's transport (ICE + DTLS through the worker's WebRtcServer). */
    type: z.literal('webrtc'),
    peerId: PeerIdSchema,
    direction: z.enum(['send', 'recv']),
    /**
     * The browser's DTLS parameters, when it knows them before the transport exists (its page made
     * its certificate first): the node connects the transport at once, saving a connect call.
     */
    dtlsParameters: DtlsParametersSchema.optional(),
  }),
  z.strictObject({
    /** Plain RTP (optionally SRTP), e.g. an encoder's ingest or load testing. */
    type: z.literal('plain'),
    peerId: PeerIdSchema,
    direction: z.enum(['send', 'recv']),
    /** Use SRTP with a key the node generates (returned as `srtpParameters`). */
    srtp: z.boolean().default(false),
    /** SRTP suite; the default is the one RTP tools such as ffmpeg support. */
    srtpCryptoSuite: SrtpCryptoSuiteSchema.default('AES_CM_128_HMAC_SHA1_80'),
    /** Learn the remote address from the first packet instead of `connect`. */
    comedia: z.boolean().default(false),
  }),
]);
export type CreateTransportRequest = z.infer<typeof CreateTransportRequestSchema>;
/** What a caller sends: defaulted fields may be left out. */
export type CreateTransportInput = z.input<typeof CreateTransportRequestSchema>;

export const WebRtcTransportInfoSchema = z.object({
  type: z.literal('webrtc'),
  transportId: MediaIdSchema,
  iceParameters: IceParametersSchema,
  iceCandidates: z.array(IceCandidateSchema),
  dtlsParameters: LocalDtlsParametersSchema,
  /** With the request's `dtlsParameters`: whether the node connected the transport with them. */
  connected: z.boolean().optional(),
});

export const PlainTransportInfoSchema = z.object({
  type: z.literal('plain'),
  transportId: MediaIdSchema,
  ip: z.string(),
  port: z.number().int(),
  srtpParameters: SrtpParametersSchema.optional(),
});

export const CreateTransportResponseSchema = z.discriminatedUnion('type', [
  WebRtcTransportInfoSchema,
  PlainTransportInfoSchema,
]);
export type CreateTransportResponse = z.infer<typeof CreateTransportResponseSchema>;

/** POST /v1/sessions/:sessionId/transports/:transportId/connect */
export const ConnectTransportRequestSchema = z.union([
  z.strictObject({ dtlsParameters: DtlsParametersSchema }),
  z.strictObject({
    ip: z.union([z.ipv4(), z.ipv6()]),
    port: z.number().int().min(1).max(65_535),
    srtpParameters: SrtpParametersSchema.optional(),
  }),
]);
export type ConnectTransportRequest = z.infer<typeof ConnectTransportRequestSchema>;

export const ConnectedResponseSchema = z.object({ connected: z.literal(true) });

/**
 * POST /v1/sessions/:sessionId/transports/:transportId/restart-ice (no body): new ICE credentials
 * for a WebRTC transport whose client lost its path; DTLS and everything on the transport stay.
 */
export const RestartIceResponseSchema = z.object({ iceParameters: IceParametersSchema });

// --- Producers and consumers -----------------------------------------------------------------

/** POST /v1/sessions/:sessionId/producers */
export const ProduceRequestSchema = z.strictObject({
  transportId: MediaIdSchema,
  kind: MediaKindSchema,
  rtpParameters: RtpParametersSchema,
  appData: appDataSchema.optional(),
});
export type ProduceRequest = z.infer<typeof ProduceRequestSchema>;

export const ProduceResponseSchema = z.object({ producerId: MediaIdSchema });

/**
 * POST /v1/sessions/:sessionId/consumers: created paused (resume once attached) unless `paused` is
 * false, for a transport whose browser has not connected yet (nothing can flow before its DTLS).
 */
export const ConsumeRequestSchema = z.strictObject({
  transportId: MediaIdSchema,
  producerId: MediaIdSchema,
  rtpCapabilities: RtpCapabilitiesSchema,
  paused: z.boolean().optional(),
});
export type ConsumeRequest = z.infer<typeof ConsumeRequestSchema>;

export const ConsumeResponseSchema = z.object({
  consumerId: MediaIdSchema,
  producerId: MediaIdSchema,
  kind: MediaKindSchema,
  rtpParameters: RtpParametersSchema.or(z.record(z.string(), z.unknown())),
  paused: z.boolean(),
});
export type ConsumeResponse = z.infer<typeof ConsumeResponseSchema>;

/** POST /v1/sessions/:sessionId/consumers/:consumerId/resume (no body). */
export const ResumedResponseSchema = z.object({ resumed: z.literal(true) });

// --- A listener's receive path in one call -------------------------------------------------

/**
 * POST /v1/sessions/:sessionId/receivers: a listener's WebRTC receive transport and, in the same
 * call, its DTLS connect with the browser's parameters and a consumer of the host's producer (each
 * when asked). A joining listener costs the edge one round trip to its node instead of two. A
 * connect or consume that fails does not undo the transport: the answer says which step failed and
 * why, and the listener does that step the usual way.
 */
export const OpenReceiverRequestSchema = z.strictObject({
  peerId: PeerIdSchema,
  dtlsParameters: DtlsParametersSchema.optional(),
  consume: ConsumeRequestSchema.omit({ transportId: true }).optional(),
});
export type OpenReceiverRequest = z.infer<typeof OpenReceiverRequestSchema>;

export const OpenReceiverResponseSchema = z.object({
  transport: WebRtcTransportInfoSchema,
  /** True when `dtlsParameters` were given and the transport took them. */
  connected: z.boolean(),
  connectError: ApiErrorBodySchema.shape.error.optional(),
  /** The consumer when `consume` was given and it worked, else null. */
  consumer: ConsumeResponseSchema.nullable(),
  consumeError: ApiErrorBodySchema.shape.error.optional(),
});
export type OpenReceiverResponse = z.infer<typeof OpenReceiverResponseSchema>;

// --- Pipes between media nodes ----------------------------------------------------------------
// A party spread over several nodes: the edge pipes the host's producer from the node that holds
// it (the origin) to each other node its listeners use, with mediasoup PipeTransports (SRTP on).
// The producer keeps its id on every node, so listeners consume the same id wherever they are.

/** POST /v1/sessions/:sessionId/pipe-transports (no body): a PipeTransport on the session's router. */
export const PipeTransportInfoSchema = z.object({
  transportId: MediaIdSchema,
  ip: z.string(),
  port: z.number().int(),
  srtpParameters: SrtpParametersSchema,
});
export type PipeTransportInfo = z.infer<typeof PipeTransportInfoSchema>;

/** POST /v1/sessions/:sessionId/pipe-transports/:transportId/connect: the other node's end. */
export const ConnectPipeTransportRequestSchema = z.strictObject({
  ip: z.union([z.ipv4(), z.ipv6()]),
  port: z.number().int().min(1).max(65_535),
  srtpParameters: SrtpParametersSchema,
});
export type ConnectPipeTransportRequest = z.infer<typeof ConnectPipeTransportRequestSchema>;

/** POST /v1/sessions/:sessionId/pipe-consumers: sends a producer of this node down a pipe. */
export const PipeConsumeRequestSchema = z.strictObject({
  transportId: MediaIdSchema,
  producerId: MediaIdSchema,
});
export type PipeConsumeRequest = z.infer<typeof PipeConsumeRequestSchema>;

export const PipeConsumeResponseSchema = z.object({
  consumerId: MediaIdSchema,
  kind: MediaKindSchema,
  rtpParameters: RtpParametersSchema,
  producerPaused: z.boolean(),
});
export type PipeConsumeResponse = z.infer<typeof PipeConsumeResponseSchema>;

/** POST /v1/sessions/:sessionId/pipe-producers: the producer again on this node, fed by a pipe. */
export const PipeProduceRequestSchema = z.strictObject({
  transportId: MediaIdSchema,
  producerId: MediaIdSchema,
  kind: MediaKindSchema,
  rtpParameters: RtpParametersSchema,
  paused: z.boolean(),
});
export type PipeProduceRequest = z.infer<typeof PipeProduceRequestSchema>;

/** GET /v1/load: what the edge weighs when it places a listener. */
export const NodeLoadSchema = z.object({
  draining: z.boolean(),
  sessions: z.number().int().nonnegative(),
  /** Receive transports (listeners) over every session. */
  listeners: z.number().int().nonnegative(),
  transports: z.number().int().nonnegative(),
  liveWorkers: z.number().int().nonnegative(),
});
export type NodeLoad = z.infer<typeof NodeLoadSchema>;

// --- Workers ---------------------------------------------------------------------------------

/** GET /v1/workers: per-worker load, for operators and benchmarks. */
export const WorkerListSchema = z.object({
  workers: z.array(
    z.object({
      index: z.number().int(),
      pid: z.number().int(),
      alive: z.boolean(),
      rtcPort: z.number().int(),
      routers: z.number().int(),
      transports: z.number().int(),
      consumers: z.number().int(),
      /** User + system CPU time in ms since the worker started. */
      cpuMs: z.number(),
      /** Resident set size in bytes (0 where the platform does not expose it). */
      rssBytes: z.number(),
    }),
  ),
});
export type WorkerList = z.infer<typeof WorkerListSchema>;
