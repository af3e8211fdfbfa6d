/**
 * The production worker (root wrangler.toml): the edge and the listener-role library app behind one
 * origin, so an invite link, the party WebSocket and the catalog pages need no CORS and one
 * deployment. The edge keeps its own routes; the app answers the rest (static files are served by
 * the assets binding before this runs).
 */
import site from 'dmp-listener-site';
import edge from '../src/index';
import { isEdgeRoute } from './routes';

export { PartyDirectory, PartySession } from '../src/index';

export default {
  fetch(request, env, ctx) {
    if (isEdgeRoute(new URL(request.url).pathname)) return edge.fetch(request, env, ctx);
    return site.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<Cloudflare.Env>;
