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
