import { cpus } from 'node:os';
import { MIN_SECRET_LENGTH } from '@dmp-party/protocol';
import { z } from 'zod';

const port = z.coerce.number().int().min(1).max(65_535);

/** Environment variables the media node reads, with defaults for local runs. */
const EnvSchema = z
  .object({
    MEDIA_NODE_SECRET: z
      .string({ error: 'is required (a shared secret for signing /v1 requests)' })
      .min(MIN_SECRET_LENGTH, `must be at least ${MIN_SECRET_LENGTH} characters`),
    MEDIA_NODE_PORT: port.default(4443),
    MEDIA_NODE_HOST: z.string().min(1).default('127.0.0.1'),
    MEDIASOUP_LISTEN_IP: z
      .union([z.ipv4(), z.ipv6()], { error: 'must be an IP address' })
      .default('127.0.0.1'),
    MEDIASOUP_ANNOUNCED_IP: z.string().min(1).optional(),
    MEDIASOUP_WORKERS: z.coerce.number().int().min(1).max(256).optional(),
    RTC_MIN_PORT: port.default(40_000),
    RTC_MAX_PORT: port.default(49_999),
    MEDIA_NODE_MAX_CONSUMERS_PER_WORKER: z.coerce.number().int().min(1).default(1_000),
    EDGE_EVENTS_URL: z
      .url({ protocol: /^https?$/, error: "must be an http(s) URL (the edge's /api/party/media-events)" })
      .optional(),
    MEDIA_NODE_DRAIN_SECONDS: z.coerce.number().int().min(0).max(600).default(0),
    MEDIA_NODE_LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
  })
  .refine((env) => env.RTC_MAX_PORT > env.RTC_MIN_PORT, {
    path: ['RTC_MAX_PORT'],
    message: 'must be greater than RTC_MIN_PORT',
  });

export interface MediaNodeConfig {
  secret: string;
  httpPort: number;
  httpHost: string;
  listenIp: string;
  announcedAddress: string | undefined;
  workerCount: number;
  /** Each worker's WebRtcServer listens on `rtcPortBase + index` (UDP and TCP). */
  rtcPortBase: number;
  /** Ports after the WebRtcServer ports, split between workers for plain RTP transports. */
  rtcMinPort: number;
  rtcMaxPort: number;
  maxConsumersPerWorker: number;
  /** Where to post signed events (a rebuilt session, a node start); unset: the edge polls. */
  edgeEventsUrl: string | undefined;
  /** On SIGTERM, how long the node waits for the edge to move its parties before it exits. */
  drainSeconds: number;
  logLevel: string;
}

export class ConfigError extends Error {}

/** Reads and validates the environment; every problem names its variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): MediaNodeConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')} ${issue.message}`);
    throw new ConfigError(`Invalid media node configuration:\n${problems.join('\n')}`);
  }
  const values = parsed.data;
  const workerCount = values.MEDIASOUP_WORKERS ?? cpus().length;
  const portsNeeded = workerCount * 2;
  if (values.RTC_MAX_PORT - values.RTC_MIN_PORT + 1 < portsNeeded) {
    throw new ConfigError(
      `Invalid media node configuration:\n  RTC_MIN_PORT..RTC_MAX_PORT must hold at least ${portsNeeded} ports for ${workerCount} workers`,
    );
  }
  return {
    secret: values.MEDIA_NODE_SECRET,
    httpPort: values.MEDIA_NODE_PORT,
    httpHost: values.MEDIA_NODE_HOST,
    listenIp: values.MEDIASOUP_LISTEN_IP,
    announcedAddress: values.MEDIASOUP_ANNOUNCED_IP,
    workerCount,
    rtcPortBase: values.RTC_MIN_PORT,
    rtcMinPort: values.RTC_MIN_PORT + workerCount,
    rtcMaxPort: values.RTC_MAX_PORT,
    maxConsumersPerWorker: values.MEDIA_NODE_MAX_CONSUMERS_PER_WORKER,
    edgeEventsUrl: values.EDGE_EVENTS_URL,
    drainSeconds: values.MEDIA_NODE_DRAIN_SECONDS,
    logLevel: values.MEDIA_NODE_LOG_LEVEL,
  };
}
