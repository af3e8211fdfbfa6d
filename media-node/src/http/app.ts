import { errorBody, PROTOCOL_VERSION, PROTOCOL_VERSION_HEADER } from '@dmp-party/protocol';
import { Hono } from 'hono';
import { routePath } from 'hono/route';
import { describeFailure } from '../errors';
import { moduleLogger } from '../logger';
import type { SessionRegistry } from '../media/session-registry';
import type { WorkerPool } from '../media/worker-pool';
import { createMetrics } from './metrics';
import { type SignedEnv, signatureAuth } from './signature-auth';
import { v1Routes } from './v1-routes';

const log = moduleLogger('http');

export interface AppDependencies {
  registry: SessionRegistry;
  pool: WorkerPool;
  signingKey: CryptoKey;
}

/** The media node's HTTP surface: `/health`, `/metrics`, and the signed `/v1` API. */
export function createApp({ registry, pool, signingKey }: AppDependencies): Hono<SignedEnv> {
  const app = new Hono<SignedEnv>();
  const metrics = createMetrics(registry, pool);

  app.use('*', async (c, next) => {
    await next();
    c.header(PROTOCOL_VERSION_HEADER, String(PROTOCOL_VERSION));
  });

  app.get('/health', (c) =>
    pool.liveSlots().length > 0 ? c.json({ status: 'ok' }) : c.json({ status: 'unavailable' }, 503),
  );

  app.get('/metrics', async (c) =>
    c.text(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType }),
  );

  app.use('/v1/*', async (c, next) => {
    await next();
    metrics.requests.inc({ method: c.req.method, route: routePath(c, -1), status: String(c.res.status) });
  });
  app.use('/v1/*', signatureAuth(signingKey));
  app.route('/v1', v1Routes(registry, pool));

  app.notFound((c) => c.json(errorBody('NOT_FOUND', 'no such route'), 404));

  app.onError((error, c) => {
    const failure = describeFailure(error);
    if (!failure.expected) log.error({ err: error, path: c.req.path }, 'unexpected error');
    return c.json(errorBody(failure.code, failure.message), failure.status);
  });

  return app;
}
