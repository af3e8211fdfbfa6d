/**
 * The edge worker: party status, and the WebSocket upgrade into the party's `PartySession`
 * Durable Object. Origin and host token are checked here; the object trusts the role header that
 * only this worker can set.
 */
import { errorBody, PARTY_SOCKET_ROUTE, SessionIdSchema, verifyHostToken } from '@dmp-party/protocol';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { allowedOrigins, configurationProblems, type Env } from './env';
import { clientKey } from './hibernation/penalty-box';
import { mediaEvents } from './media-events';
import { CLIENT_KEY_HEADER, CONTINENT_HEADER, ROLE_HEADER } from './party/party-session';
import { DIRECTORY_NAME } from './party-directory';

export { PartySession } from './party/party-session';
export { PartyDirectory } from './party-directory';

const app = new Hono<{ Bindings: Env }>();

// The listener and host sites may live on other origins (locally, other ports): let them read status.
app.use(
  '/api/party/*',
  cors({ origin: (origin, c) => (allowedOrigins(c.env).has(origin) ? origin : null), allowMethods: ['GET'] }),
);

app.get('/api/party/status', async (c) => {
  const sessionId = await c.env.PARTY_DIRECTORY.getByName(DIRECTORY_NAME).live();
  if (!sessionId) return c.json({ live: false, sessionId: null, listenerCount: 0, nowPlaying: null });
  const status = await c.env.PARTY_SESSION.getByName(sessionId).status();
  if (!status.live) return c.json({ live: false, sessionId: null, listenerCount: 0, nowPlaying: null });
  return c.json(status);
});

app.route('/', mediaEvents);

app.get(PARTY_SOCKET_ROUTE, async (c) => {
  const sessionId = SessionIdSchema.safeParse(c.req.param('id'));
  if (!sessionId.success) return c.json(errorBody('BAD_REQUEST', 'invalid party id'), 400);
  if (c.req.header('upgrade')?.toLowerCase() !== 'websocket')
    return c.json(errorBody('BAD_REQUEST', 'expected a WebSocket upgrade'), 426);
  const problems = configurationProblems(c.env);
  if (problems.length > 0)
    return c.json(errorBody('NOT_CONFIGURED', `edge not configured: ${problems.join('; ')}`), 503);
  const origin = c.req.header('origin');
  if (!origin || !allowedOrigins(c.env).has(origin))
    return c.json(errorBody('ORIGIN_NOT_ALLOWED', 'origin not allowed'), 403);

  // A token that is present but wrong is refused, never downgraded to a listener silently.
  const token = c.req.query('token');
  let role: 'host' | 'listener' = 'listener';
  if (token !== undefined) {
    const check = await verifyHostToken(c.env.PARTY_HOST_SECRET, token, sessionId.data);
    if (!check.ok) return c.json(errorBody('UNAUTHORIZED', 'invalid or expired host token'), 401);
    role = 'host';
  }

  const headers = new Headers(c.req.raw.headers);
  headers.set(ROLE_HEADER, role);
  headers.set(CLIENT_KEY_HEADER, clientKey(c.req.header('cf-connecting-ip')));
  // Deployed, Cloudflare says where the client is; a client's own header is never trusted.
  const continent = (c.req.raw.cf as { continent?: unknown } | undefined)?.continent;
  if (typeof continent === 'string' && /^[A-Z]{2}$/.test(continent)) headers.set(CONTINENT_HEADER, continent);
  else headers.delete(CONTINENT_HEADER);
  return c.env.PARTY_SESSION.getByName(sessionId.data).fetch(new Request(c.req.raw.url, { headers }));
});

app.notFound((c) => c.json(errorBody('NOT_FOUND', 'not found'), 404));
app.onError((_error, c) => c.json(errorBody('INTERNAL', 'internal error'), 500));

export default app satisfies ExportedHandler<Env>;
