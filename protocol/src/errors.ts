import { z } from 'zod';

/**
 * Every error code any part may send. Codes are stable identifiers that clients switch on;
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
  // Server side
  'MEDIA_NODE_UNAVAILABLE',
  'INTERNAL',
] as const;

export const ErrorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

/** Body of every error response of the media node's HTTP API. */
export const ApiErrorBodySchema = z.object({
  error: z.object({
    code: ErrorCodeSchema,
    message: z.string(),
  }),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBodySchema>;
