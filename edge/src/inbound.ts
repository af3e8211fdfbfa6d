/**
 * Turns a raw WebSocket frame into a validated message for the socket's role, or into the error
 * code to answer with. Nothing here touches state.
 */
import {
  type ErrorCode,
  HOST_ONLY_TYPES,
  type HostMessage,
  HostMessageSchema,
  type ListenerMessage,
  ListenerMessageSchema,
  MAX_CLIENT_MESSAGE_BYTES,
  type RequestId,
  RequestIdSchema,
} from '@dmp-party/protocol';
import type { z } from 'zod';

export type Role = 'host' | 'listener';

export type Inbound =
  | { ok: true; role: 'host'; message: HostMessage }
  | { ok: true; role: 'listener'; message: ListenerMessage }
  | { ok: false; code: ErrorCode; message: string; reqId?: RequestId };

const HOST_TYPES: ReadonlySet<string> = new Set(
  HostMessageSchema.options.map((option) => option.shape.type.value),
);
const LISTENER_TYPES: ReadonlySet<string> = new Set(
  ListenerMessageSchema.options.map((option) => option.shape.type.value),
);
const encoder = new TextEncoder();

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid message';
  return `${issue.path.join('.') || 'message'}: ${issue.message}`.slice(0, 200);
}

export function parseInbound(role: Role, frame: string | ArrayBuffer): Inbound {
  if (typeof frame !== 'string')
    return { ok: false, code: 'BAD_REQUEST', message: 'binary frames are not accepted' };
  if (frame.length > MAX_CLIENT_MESSAGE_BYTES || encoder.encode(frame).byteLength > MAX_CLIENT_MESSAGE_BYTES)
    return {
      ok: false,
      code: 'PAYLOAD_TOO_LARGE',
      message: `messages are limited to ${MAX_CLIENT_MESSAGE_BYTES} bytes`,
    };
  let json: unknown;
  try {
    json = JSON.parse(frame);
  } catch {
    return { ok: false, code: 'INVALID_JSON', message: 'message is not JSON' };
  }
  const record = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
  const reqIdResult = RequestIdSchema.safeParse(record.reqId);
  const reqId = reqIdResult.success ? reqIdResult.data : undefined;
  const type = typeof record.type === 'string' ? record.type : '';
  const withReqId = reqId === undefined ? {} : { reqId };

  if (role === 'host') {
    if (!HOST_TYPES.has(type))
      return { ok: false, code: 'UNKNOWN_MESSAGE', message: 'unknown message type', ...withReqId };
    const parsed = HostMessageSchema.safeParse(json);
    if (!parsed.success)
      return { ok: false, code: 'VALIDATION_FAILED', message: describe(parsed.error), ...withReqId };
    return { ok: true, role, message: parsed.data };
  }
  if (HOST_ONLY_TYPES.has(type))
    return { ok: false, code: 'NOT_HOST', message: 'only the host may send this', ...withReqId };
  if (!LISTENER_TYPES.has(type))
    return { ok: false, code: 'UNKNOWN_MESSAGE', message: 'unknown message type', ...withReqId };
  const parsed = ListenerMessageSchema.safeParse(json);
  if (!parsed.success)
    return { ok: false, code: 'VALIDATION_FAILED', message: describe(parsed.error), ...withReqId };
  return { ok: true, role, message: parsed.data };
}

/** A token bucket per socket: `ratePerSecond` sustained, twice that in a burst. */
export class RateLimiter {
  readonly #buckets = new WeakMap<object, { tokens: number; at: number }>();
  constructor(readonly ratePerSecond: number) {}

  allow(key: object, now = Date.now()): boolean {
    const capacity = this.ratePerSecond * 2;
    const bucket = this.#buckets.get(key) ?? { tokens: capacity, at: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.at) / 1000) * this.ratePerSecond);
    bucket.at = now;
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    this.#buckets.set(key, bucket);
    return allowed;
  }
}
