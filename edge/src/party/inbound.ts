/**
 * Turns a raw WebSocket frame into a validated message for the socket's role, or throws the
 * `InboundError` to answer with. Nothing here touches state.
 */
import {
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
import { InboundError } from '../hibernation/hibernating-server';

export type Role = 'host' | 'listener';

/** A valid message with its sender's role; `reqId` repeats the message's, for error frames. */
export type Inbound = { reqId: RequestId } & (
  | { role: 'host'; message: HostMessage }
  | { role: 'listener'; message: ListenerMessage }
);

const typesOf = (schema: typeof HostMessageSchema | typeof ListenerMessageSchema): ReadonlySet<string> =>
  new Set(schema.options.map((option) => option.shape.type.value));
const HOST_TYPES = typesOf(HostMessageSchema);
const LISTENER_TYPES = typesOf(ListenerMessageSchema);
const encoder = new TextEncoder();

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid message';
  return `${issue.path.join('.') || 'message'}: ${issue.message}`.slice(0, 200);
}

function parseJson(frame: string | ArrayBuffer): unknown {
  if (typeof frame !== 'string') throw new InboundError('BAD_REQUEST', 'binary frames are not accepted');
  if (frame.length > MAX_CLIENT_MESSAGE_BYTES || encoder.encode(frame).byteLength > MAX_CLIENT_MESSAGE_BYTES)
    throw new InboundError('PAYLOAD_TOO_LARGE', `messages are limited to ${MAX_CLIENT_MESSAGE_BYTES} bytes`);
  try {
    return JSON.parse(frame);
  } catch {
    throw new InboundError('INVALID_JSON', 'message is not JSON');
  }
}

export function parseInbound(role: Role, frame: string | ArrayBuffer): Inbound {
  const json = parseJson(frame);
  const record = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
  const reqIdResult = RequestIdSchema.safeParse(record.reqId);
  const reqId = reqIdResult.success ? reqIdResult.data : undefined;
  const type = typeof record.type === 'string' ? record.type : '';

  if (role === 'listener' && HOST_ONLY_TYPES.has(type))
    throw new InboundError('NOT_HOST', 'only the host may send this', reqId);
  if (!(role === 'host' ? HOST_TYPES : LISTENER_TYPES).has(type))
    throw new InboundError('UNKNOWN_MESSAGE', 'unknown message type', reqId);
  if (role === 'host') {
    const parsed = HostMessageSchema.safeParse(json);
    if (!parsed.success) throw new InboundError('VALIDATION_FAILED', describe(parsed.error), reqId);
    return { role, reqId: parsed.data.reqId, message: parsed.data };
  }
  const parsed = ListenerMessageSchema.safeParse(json);
  if (!parsed.success) throw new InboundError('VALIDATION_FAILED', describe(parsed.error), reqId);
  return { role, reqId: parsed.data.reqId, message: parsed.data };
}
