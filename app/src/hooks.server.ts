import { errorBody } from '@dmp-party/protocol';
import type { Handle, HandleServerError } from '@sveltejs/kit';
import { appContext } from '$lib/server/catalog-instance';
import { earlySocketHead, fillEarlySocketSlot } from '$lib/server/early-socket-head';

/**
 * Role enforcement for the whole server: in the listener role every write (any non-GET request)
 * and every audio file request is refused with 403 before a route runs, so nothing can change.
 */
export const handle: Handle = async ({ event, resolve }) => {
  const { config } = await appContext();
  event.locals.role = config.PARTY_ROLE;
  if (config.PARTY_ROLE === 'listener') {
    const isWrite = !['GET', 'HEAD', 'OPTIONS'].includes(event.request.method);
    if (isWrite || event.url.pathname.startsWith('/audio/')) {
      return new Response(JSON.stringify(errorBody('FORBIDDEN', 'read-only listener site')), {
        status: 403,
        headers: { 'content-type': 'application/json' },
      });
    }
  }
  const earlySocket = earlySocketHead(event, config);
  return resolve(event, {
    transformPageChunk: ({ html }) => fillEarlySocketSlot(html, earlySocket),
  });
};

/**
 * Unexpected server errors: logged with their cause (a database driver's own message sits in the
 * `cause` of drizzle's "Failed query" error), while the page gets SvelteKit's generic message.
 */
export const handleError: HandleServerError = ({ error, event, status }) => {
  if (status === 404) return;
  const cause =
    error instanceof Error && error.cause instanceof Error ? ` (cause: ${error.cause.message})` : '';
  console.error(`[app] ${event.request.method} ${event.url.pathname} failed: ${String(error)}${cause}`);
};
