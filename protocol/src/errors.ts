import { z } from 'zod';

/**
 * Every error code any part may send or raise. Codes are stable identifiers that clients switch on;
 * messages are for humans and never carry stack traces or secrets.
 */
export const ERROR_CODES = [
  // Input
  'BAD_REQUEST',
  'INVALID_JSON',
  'VALIDATION_FAILED',
  'PAYLOAD_TOO_LARGE',
  'UNKNOWN_MESSAGE',
  // Authentication and authorization
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_HOST',
  'ORIGIN_NOT_ALLOWED',
  'RATE_LIMITED',
  'LISTENER_CAP_REACHED',
  // Lookup and state
  'NOT_FOUND',
  'SESSION_NOT_FOUND',
  'TRANSPORT_NOT_FOUND',
  'PRODUCER_NOT_FOUND',
  'CONSUMER_NOT_FOUND',
  'WRONG_STATE',
  'CANNOT_CONSUME',
  'MEDIA_REBUILT',
  'SESSION_ENDED',
  // Audience (issue 14): a request the party's rules refuse, a listener the host removed.
  'REQUEST_LIMIT_REACHED',
  'RECENTLY_PLAYED',
  'REMOVED_FROM_PARTY',
  // Server side
  'MEDIA_NODE_UNAVAILABLE',
  /** A deployment's configuration is missing or wrong (the message names the variable). */
  'NOT_CONFIGURED',
  'INTERNAL',
  // Raised by a caller about its own side of a call, never sent by a server: the connection
  // dropped before the answer, no answer came in time, or the answer did not match its schema.
  'DISCONNECTED',
  'TIMEOUT',
  'INVALID_RESPONSE',
] as const;

export const ErrorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

/** The one body of every HTTP error response (media node, edge, the app's JSON routes). */
export const ApiErrorBodySchema = z.object({
  error: z.object({
    code: ErrorCodeSchema,
    message: z.string(),
  }),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBodySchema>;

/** Builds the error body; the only place that shapes one. */
export function errorBody(code: ErrorCode, message: string): ApiErrorBody {
  return { error: { code, message } };
}

/**
 * Base of every error that carries a protocol code. Sets `name` to the subclass's name, so logs
 * and `instanceof`-free checks can tell them apart.
 */
export class CodedError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
