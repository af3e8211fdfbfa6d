import { MEDIA_API_MAX_BODY_BYTES, verifySignedRequest } from '@dmp-party/protocol';
import type { MiddlewareHandler } from 'hono';
import { MediaNodeError } from '../errors';
import { moduleLogger } from '../logger';
import { ReplayGuard } from './replay-guard';

const log = moduleLogger('signature-auth');

export type SignedEnv = { Variables: { rawBody: string } };

const unauthorized = () => new MediaNodeError(401, 'UNAUTHORIZED', 'unauthorized');

/**
 * Verifies the HMAC signature of every `/v1` request (method, path with query, timestamp, nonce,
 * body), refuses stale timestamps and replayed nonces, and stores the verified raw body for the
 * route. Every refusal is the same bare 401: no hint about which check failed.
 */
export function signatureAuth(key: CryptoKey): MiddlewareHandler<SignedEnv> {
  const replays = new ReplayGuard();
  return async (c, next) => {
    const declaredLength = Number(c.req.header('content-length') ?? 0);
    if (declaredLength > MEDIA_API_MAX_BODY_BYTES) {
      throw new MediaNodeError(
        413,
        'PAYLOAD_TOO_LARGE',
        `bodies are limited to ${MEDIA_API_MAX_BODY_BYTES} bytes`,
      );
    }
    const body = await c.req.text();
    if (Buffer.byteLength(body) > MEDIA_API_MAX_BODY_BYTES) {
      throw new MediaNodeError(
        413,
        'PAYLOAD_TOO_LARGE',
        `bodies are limited to ${MEDIA_API_MAX_BODY_BYTES} bytes`,
      );
    }
    const url = new URL(c.req.url);
    const verified = await verifySignedRequest(key, {
      method: c.req.method,
      path: url.pathname + url.search,
      body,
      header: (name) => c.req.header(name),
    });
    if (!verified || !replays.remember(verified.nonce)) {
      log.warn(
        { method: c.req.method, path: url.pathname, reason: verified ? 'replay' : 'signature' },
        'refused',
      );
      throw unauthorized();
    }
    c.set('rawBody', body);
    await next();
  };
}
