import { MediaApiClient } from '@dmp-party/protocol';
import type { Env } from './env';

/**
 * The one place that decides which media node serves a party. Today a deployment has one
 * (`MEDIA_NODE_URL`); choosing among several (by region or load) would change only this function.
 */
export function mediaNodeFor(env: Env, _sessionId: string): MediaApiClient {
  return new MediaApiClient(env.MEDIA_NODE_URL, env.MEDIA_NODE_SECRET, (url, init) => fetch(url, init));
}
