import { CodedError, type ErrorCode } from '@dmp-party/protocol';

/** An expected failure with its HTTP status and protocol error code; mapped in one `onError`. */
export class MediaNodeError extends CodedError {
  constructor(
    readonly status: 400 | 401 | 404 | 409 | 410 | 413 | 503,
    code: ErrorCode,
    message: string,
  ) {
    super(code, message);
  }
}

export const notFound = (code: ErrorCode, what: string, id: string) =>
  new MediaNodeError(404, code, `${what} ${id} not found`);

export const wrongState = (message: string) => new MediaNodeError(409, 'WRONG_STATE', message);

export const badRequest = (code: ErrorCode, message: string) => new MediaNodeError(400, code, message);

/** mediasoup's own error classes for bad arguments and wrong state, by name. */
function mediasoupErrorStatus(error: Error): 400 | 409 | undefined {
  if (error.name === 'InvalidStateError') return 409;
  if (error.name === 'UnsupportedError' || error.name === 'TypeError') return 400;
  return undefined;
}

/**
 * What a failure tells the caller: its status, code and message. Anything unexpected is INTERNAL,
 * with no detail (the caller gets no stack trace; the node logs it).
 */
export function describeFailure(error: unknown): {
  status: MediaNodeError['status'] | 500;
  code: ErrorCode;
  message: string;
  expected: boolean;
} {
  if (error instanceof MediaNodeError)
    return { status: error.status, code: error.code, message: error.message, expected: true };
  const status = error instanceof Error ? mediasoupErrorStatus(error) : undefined;
  if (status && error instanceof Error)
    return {
      status,
      code: status === 409 ? 'WRONG_STATE' : 'BAD_REQUEST',
      message: error.message,
      expected: true,
    };
  return { status: 500, code: 'INTERNAL', message: 'internal error', expected: false };
}
