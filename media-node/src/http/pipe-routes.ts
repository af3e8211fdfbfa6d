import {
  ConnectPipeTransportRequestSchema,
  MediaIdSchema,
  PipeConsumeRequestSchema,
  PipeProduceRequestSchema,
  SessionIdSchema,
} from '@dmp-party/protocol';
import type { Hono } from 'hono';
import type { SessionRegistry } from '../media/session-registry';
import { parseBody, parseParam } from './parse-body';
import type { SignedEnv } from './signature-auth';

/** The cascade between media nodes (see `NodePipes`), on the signed `/v1` API. */
export function addPipeRoutes(v1: Hono<SignedEnv>, registry: SessionRegistry): void {
  const pipes = async (id: string | undefined) =>
    (await registry.get(parseParam(id, SessionIdSchema))).nodePipes;

  v1.post('/sessions/:sessionId/pipe-transports', async (c) =>
    c.json(await (await pipes(c.req.param('sessionId'))).create(), 201),
  );

  v1.post('/sessions/:sessionId/pipe-transports/:transportId/connect', async (c) => {
    const found = await pipes(c.req.param('sessionId'));
    const transportId = parseParam(c.req.param('transportId'), MediaIdSchema);
    await found.connect(transportId, parseBody(c, ConnectPipeTransportRequestSchema));
    return c.json({ connected: true });
  });

  v1.delete('/sessions/:sessionId/pipe-transports/:transportId', async (c) => {
    (await pipes(c.req.param('sessionId'))).close(parseParam(c.req.param('transportId'), MediaIdSchema));
    return c.json({ closed: true });
  });

  v1.post('/sessions/:sessionId/pipe-consumers', async (c) => {
    const request = parseBody(c, PipeConsumeRequestSchema);
    return c.json(await (await pipes(c.req.param('sessionId'))).consume(request), 201);
  });

  v1.post('/sessions/:sessionId/pipe-producers', async (c) => {
    const request = parseBody(c, PipeProduceRequestSchema);
    const producerId = await (await pipes(c.req.param('sessionId'))).produce(request);
    return c.json({ producerId }, 201);
  });
}
