import type { Handle } from '@sveltejs/kit';
import { appContext } from '$lib/server/catalog-instance';

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
      return new Response(
        JSON.stringify({ error: { code: 'FORBIDDEN', message: 'read-only listener site' } }),
        {
          status: 403,
          headers: { 'content-type': 'application/json' },
        },
      );
    }
  }
  return resolve(event);
};
