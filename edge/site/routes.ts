/**
 * Which requests of the production worker belong to the edge; everything else is the listener app.
 * Kept apart from the worker entry so it can be tested without the app build.
 */
const EDGE_WEBSOCKET = /^\/party\/[^/]+\/ws$/;

export function isEdgeRoute(pathname: string): boolean {
  return pathname.startsWith('/api/party/') || EDGE_WEBSOCKET.test(pathname);
}
