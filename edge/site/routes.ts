import { PARTY_SOCKET_PATH_PATTERN } from '@dmp-party/protocol';

/**
 * Which requests of the production worker belong to the edge; everything else is the listener app.
 * Kept apart from the worker entry so it can be tested without the app build.
 */
export function isEdgeRoute(pathname: string): boolean {
  return pathname.startsWith('/api/party/') || PARTY_SOCKET_PATH_PATTERN.test(pathname);
}
