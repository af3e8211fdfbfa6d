/**
 * Schemas for the WebRTC/RTP parameter shapes mediasoup accepts. They are strict and bounded:
 * malformed values must be refused here, before they reach a mediasoup worker (workers have died on
 * inputs such as `dtlsParameters` with an empty fingerprint list).
 */
import { z } from 'zod';

const token = (max: number) => z.string().min(1).max(max);
const codecParameters = z
  .record(z.string().max(64), z.union([z.string().max(256), z.number().finite()]))
  .refine((value) => Object.keys(value).length <= 32, 'at most 32 codec parameters');

export const MediaKindSchema = z.enum(['audio', 'video']);

export const RtcpFeedbackSchema = z.strictObject({
  type: token(32),
  parameter: z.string().max(32).optional(),
});

export const RtpCodecCapabilitySchema = z.strictObject({
  kind: MediaKindSchema,
  mimeType: z.string().regex(/^(audio|video)\/[A-Za-z0-9.+-]{1,32}$/),
  preferredPayloadType: z.number().int().min(0).max(127).optional(),
  clockRate: z.number().int().min(1).max(192_000),
  channels: z.number().int().min(1).max(8).optional(),
  parameters: codecParameters.optional(),
  rtcpFeedback: z.array(RtcpFeedbackSchema).max(16).optional(),
});

export const RtpHeaderExtensionSchema = z.strictObject({
  kind: MediaKindSchema,
  uri: token(256),
  preferredId: z.number().int().min(1).max(255),
  preferredEncrypt: z.boolean().optional(),
  direction: z.enum(['sendrecv', 'sendonly', 'recvonly', 'inactive']).optional(),
});

/** What a receiving device can decode; sent by listeners so the router can pick codecs. */
export const RtpCapabilitiesSchema = z.strictObject({
  codecs: z.array(RtpCodecCapabilitySchema).max(64).optional(),
  headerExtensions: z.array(RtpHeaderExtensionSchema).max(64).optional(),
});
export type RtpCapabilities = z.infer<typeof RtpCapabilitiesSchema>;

export const RtpCodecParametersSchema = z.strictObject({
  mimeType: z.string().regex(/^(audio|video)\/[A-Za-z0-9.+-]{1,32}$/),
  payloadType: z.number().int().min(0).max(127),
  clockRate: z.number().int().min(1).max(192_000),
  channels: z.number().int().min(1).max(8).optional(),
  parameters: codecParameters.optional(),
  rtcpFeedback: z.array(RtcpFeedbackSchema).max(16).optional(),
});

export const RtpEncodingParametersSchema = z.strictObject({
  ssrc: z.number().int().min(0).max(0xffffffff).optional(),
  rid: z.string().max(32).optional(),
  codecPayloadType: z.number().int().min(0).max(127).optional(),
  rtx: z.strictObject({ ssrc: z.number().int().min(0).max(0xffffffff) }).optional(),
  dtx: z.boolean().optional(),
  scalabilityMode: z.string().max(16).optional(),
  scaleResolutionDownBy: z.number().min(1).max(64).optional(),
  maxBitrate: z.number().int().min(1).max(100_000_000).optional(),
  // Sent by mediasoup-client for every encoding (the browser's RTCRtpEncodingParameters).
  active: z.boolean().optional(),
  maxFramerate: z.number().min(0).max(240).optional(),
  adaptivePtime: z.boolean().optional(),
  priority: z.enum(['very-low', 'low', 'medium', 'high']).optional(),
  networkPriority: z.enum(['very-low', 'low', 'medium', 'high']).optional(),
});

export const RtpHeaderExtensionParametersSchema = z.strictObject({
  uri: token(256),
  id: z.number().int().min(1).max(255),
  encrypt: z.boolean().optional(),
  parameters: codecParameters.optional(),
});

/** How a producer sends (or a consumer receives) one track. */
export const RtpParametersSchema = z.strictObject({
  mid: z.string().max(32).optional(),
  codecs: z.array(RtpCodecParametersSchema).min(1).max(16),
  headerExtensions: z.array(RtpHeaderExtensionParametersSchema).max(32).optional(),
  encodings: z.array(RtpEncodingParametersSchema).min(1).max(8).optional(),
  /** The sender's MediaStream id and track id (mediasoup-client 3.24 sends it; the SFU ignores it). */
  msid: z.string().max(256).optional(),
  rtcp: z
    .strictObject({
      cname: z.string().max(256).optional(),
      reducedSize: z.boolean().optional(),
      mux: z.boolean().optional(),
    })
    .optional(),
});
export type RtpParameters = z.infer<typeof RtpParametersSchema>;

export const DtlsFingerprintSchema = z.strictObject({
  algorithm: z.enum(['sha-1', 'sha-224', 'sha-256', 'sha-384', 'sha-512']),
  value: z.string().regex(/^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){15,63}$/, 'colon-separated hex bytes'),
});

/** The remote side's DTLS role and certificate fingerprints; at least one fingerprint. */
export const DtlsParametersSchema = z.strictObject({
  role: z.enum(['auto', 'client', 'server']).optional(),
  fingerprints: z.array(DtlsFingerprintSchema).min(1).max(8),
});
export type DtlsParameters = z.infer<typeof DtlsParametersSchema>;

/** DTLS parameters as mediasoup reports them for its own side (output only). */
export const LocalDtlsParametersSchema = z.object({
  role: z.enum(['auto', 'client', 'server']).optional(),
  fingerprints: z.array(z.object({ algorithm: z.string(), value: z.string() })),
});

export const IceParametersSchema = z.object({
  usernameFragment: z.string(),
  password: z.string(),
  iceLite: z.boolean().optional(),
});
export type IceParameters = z.infer<typeof IceParametersSchema>;

export const IceCandidateSchema = z.object({
  foundation: z.string(),
  priority: z.number(),
  ip: z.string(),
  address: z.string().optional(),
  protocol: z.enum(['udp', 'tcp']),
  port: z.number().int(),
  type: z.enum(['host', 'srflx', 'prflx', 'relay']),
  tcpType: z.enum(['active', 'passive', 'so']).optional(),
});

/** SRTP suites mediasoup supports. Browsers negotiate AEAD_AES_256_GCM with it (its first choice). */
export const SrtpCryptoSuiteSchema = z.enum([
  'AEAD_AES_256_GCM',
  'AEAD_AES_128_GCM',
  'AES_CM_128_HMAC_SHA1_80',
  'AES_CM_128_HMAC_SHA1_32',
]);
export type SrtpCryptoSuite = z.infer<typeof SrtpCryptoSuiteSchema>;

export const SrtpParametersSchema = z.strictObject({
  cryptoSuite: SrtpCryptoSuiteSchema,
  // 28 to 44 bytes of master key + salt depending on the suite.
  keyBase64: z.string().regex(/^[A-Za-z0-9+/]{36,60}={0,2}$/, 'base64 SRTP master key and salt'),
});
export type SrtpParameters = z.infer<typeof SrtpParametersSchema>;

/** A TURN or STUN server handed to browsers for restrictive networks. */
export const IceServerSchema = z.object({
  urls: z.union([z.string(), z.array(z.string())]),
  username: z.string().optional(),
  credential: z.string().optional(),
});
export type IceServer = z.infer<typeof IceServerSchema>;
