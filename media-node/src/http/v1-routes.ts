import {
  ConnectTransportRequestSchema,
  ConsumeRequestSchema,
  CreateSessionRequestSchema,
  CreateTransportRequestSchema,
  MediaIdSchema,
  OpenReceiverRequestSchema,
  ProduceRequestSchema,
  SessionIdSchema,
} from '@dmp-party/protocol';
import { Hono } from 'hono';
import { openReceiver } from '../media/receiver';
import type { SessionRegistry } from '../media/session-registry';
import type { WorkerPool } from '../media/worker-pool';
import { parseBody, parseParam } from './parse-body';
import { addPipeRoutes } from './pipe-routes';
import type { SignedEnv } from './signature-auth';

/** The internal API the edge drives. Every route here sits behind `signatureAuth`. */
export function v1Routes(registry: SessionRegistry, pool: WorkerPool): Hono<SignedEnv> {
  const v1 = new Hono<SignedEnv>();
  const session = (id: string | undefined) => registry.get(parseParam(id, SessionIdSchema));
  const mediaId = (id: string | undefined) => parseParam(id, MediaIdSchema);

  v1.post('/sessions', async (c) => {
    const { sessionId } = parseBody(c, CreateSessionRequestSchema);
    const created = await registry.create(sessionId);
    return c.json(
      { sessionId, generation: created.generation, routerRtpCapabilities: created.routerRtpCapabilities },
      201,
    );
  });

  v1.get('/sessions', async (c) => c.json({ sessions: await registry.stats() }));

  v1.get('/sessions/:sessionId', async (c) =>
    c.json({ ...(await (await session(c.req.param('sessionId'))).stats()), draining: registry.draining }),
  );

  v1.delete('/sessions/:sessionId', async (c) => {
    await registry.close(parseParam(c.req.param('sessionId'), SessionIdSchema));
    return c.json({ closed: true });
  });

  v1.post('/sessions/:sessionId/rebuild-ack', async (c) => {
    const found = await session(c.req.param('sessionId'));
    found.acknowledgeRebuild();
    return c.json({ generation: found.generation });
  });

  v1.post('/sessions/:sessionId/transports', async (c) => {
    const request = parseBody(c, CreateTransportRequestSchema);
    return c.json(await (await session(c.req.param('sessionId'))).createTransport(request), 201);
  });

  v1.post('/sessions/:sessionId/receivers', async (c) => {
    const request = parseBody(c, OpenReceiverRequestSchema);
    return c.json(await openReceiver(await session(c.req.param('sessionId')), request), 201);
  });

  v1.post('/sessions/:sessionId/transports/:transportId/connect', async (c) => {
    const found = await session(c.req.param('sessionId'));
    const transportId = mediaId(c.req.param('transportId'));
    await found.connectTransport(transportId, parseBody(c, ConnectTransportRequestSchema));
    return c.json({ connected: true });
  });

  v1.post('/sessions/:sessionId/transports/:transportId/restart-ice', async (c) => {
    const found = await session(c.req.param('sessionId'));
    return c.json({ iceParameters: await found.restartIce(mediaId(c.req.param('transportId'))) });
  });

  v1.delete('/sessions/:sessionId/transports/:transportId', async (c) => {
    (await session(c.req.param('sessionId'))).closeTransport(mediaId(c.req.param('transportId')));
    return c.json({ closed: true });
  });

  v1.post('/sessions/:sessionId/producers', async (c) => {
    const request = parseBody(c, ProduceRequestSchema);
    const producerId = await (await session(c.req.param('sessionId'))).produce(request);
    return c.json({ producerId }, 201);
  });

  v1.delete('/sessions/:sessionId/producers/:producerId', async (c) => {
    (await session(c.req.param('sessionId'))).closeProducer(mediaId(c.req.param('producerId')));
    return c.json({ closed: true });
  });

  v1.post('/sessions/:sessionId/consumers', async (c) => {
    const request = parseBody(c, ConsumeRequestSchema);
    return c.json(await (await session(c.req.param('sessionId'))).consume(request), 201);
  });

  v1.post('/sessions/:sessionId/consumers/:consumerId/resume', async (c) => {
    await (await session(c.req.param('sessionId'))).resumeConsumer(mediaId(c.req.param('consumerId')));
    return c.json({ resumed: true });
  });

  v1.delete('/sessions/:sessionId/consumers/:consumerId', async (c) => {
    (await session(c.req.param('sessionId'))).closeConsumer(mediaId(c.req.param('consumerId')));
    return c.json({ closed: true });
  });

  addPipeRoutes(v1, registry);

  v1.get('/load', async (c) => {
    const sessions = await registry.all();
    const live = pool.liveSlots();
    return c.json({
      draining: registry.draining,
      sessions: sessions.length,
      listeners: live.reduce((sum, slot) => sum + slot.listenerLoad, 0),
      transports: sessions.reduce(
        (sum, s) => sum + pool.slots.reduce((n, slot) => n + s.transportsOn(slot), 0),
        0,
      ),
      liveWorkers: live.length,
    });
  });

  v1.get('/workers', async (c) => {
    const sessions = await registry.all();
    const workers = await Promise.all(
      pool.slots.map(async (slot) => ({
        index: slot.index,
        pid: slot.worker.pid,
        alive: slot.alive,
        rtcPort: pool.rtcPort(slot.index),
        routers: sessions.filter((s) => s.usesWorker(slot)).length,
        transports: sessions.reduce((sum, s) => sum + s.transportsOn(slot), 0),
        consumers: sessions.reduce((sum, s) => sum + s.consumersOn(slot), 0),
        ...(await pool.usage(slot)),
      })),
    );
    return c.json({ workers });
  });

  return v1;
}
