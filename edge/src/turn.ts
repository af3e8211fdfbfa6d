/**
 * TURN relays for listeners (and hosts) on networks that allow only outbound 443 or go through an
 * HTTP proxy. Credentials follow coturn's REST scheme (`use-auth-secret`): the username is the
 * expiry time, the password an HMAC-SHA1 of it under the secret the TURN server shares with us, so
 * nothing is stored and a leaked credential expires by itself.
 */
import type { IceServer } from '@dmp-party/protocol';
import type { Env } from './env';

const DEFAULT_TTL_SECONDS = 24 * 60 * 60;

/** The configured TURN URLs (`turn:` / `turns:`), or none. */
export function turnUrls(env: Pick<Env, 'TURN_URLS'>): string[] {
  return (env.TURN_URLS ?? '')
    .split(',')
    .map((url) => url.trim())
    .filter(Boolean);
}

/** ICE servers for one transport: empty when no TURN server is configured. */
export async function turnIceServers(
  env: Pick<Env, 'TURN_URLS' | 'TURN_SECRET' | 'TURN_TTL_SECONDS'>,
  nowMs = Date.now(),
): Promise<IceServer[]> {
  const urls = turnUrls(env);
  if (urls.length === 0) return [];
  const ttl = Number(env.TURN_TTL_SECONDS);
  const expiresAt = Math.floor(nowMs / 1000) + (Number.isInteger(ttl) && ttl > 0 ? ttl : DEFAULT_TTL_SECONDS);
  const username = `${expiresAt}:dmp-party`;
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(env.TURN_SECRET),
    { name: 'HMAC', hash: 'SHA-1' },
    false,
    ['sign'],
  );
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(username)));
  const credential = btoa(String.fromCharCode(...mac));
  return [{ urls, username, credential }];
}
