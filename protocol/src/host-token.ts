/**
 * Short-lived host tokens: the host's own app server mints one with `PARTY_HOST_SECRET` and the
 * browser presents it when it opens the edge WebSocket; the edge admits it as host only if the
 * signature, the session id and the expiry check out. Format: `v1.<payload b64url>.<HMAC b64url>`,
 * the HMAC-SHA256 being over `v1.<payload>`. Web Crypto only, so it runs in Workers and Node.
 */
import { z } from 'zod';
import { SessionIdSchema } from './ids';

/** Default lifetime of a host token: long enough to open a socket, short enough to be useless if leaked. */
export const HOST_TOKEN_TTL_MS = 5 * 60 * 1000;

const HostTokenPayloadSchema = z.strictObject({
  /** The session the token admits the host to. */
  sid: SessionIdSchema,
  /** Expiry, ms since epoch. */
  exp: z.number().int().positive(),
});

const encoder = new TextEncoder();

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = new Uint8Array(new ArrayBuffer(binary.length));
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return undefined;
  }
}

async function hostKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ]);
}

/** Mints a host token for `sessionId`, valid for `ttlMs` from `now`. */
export async function mintHostToken(
  secret: string,
  sessionId: string,
  { ttlMs = HOST_TOKEN_TTL_MS, now = Date.now() }: { ttlMs?: number; now?: number } = {},
): Promise<string> {
  const payload = HostTokenPayloadSchema.parse({ sid: sessionId, exp: now + ttlMs });
  const body = `v1.${toBase64Url(encoder.encode(JSON.stringify(payload)))}`;
  const signature = await crypto.subtle.sign('HMAC', await hostKey(secret), encoder.encode(body));
  return `${body}.${toBase64Url(new Uint8Array(signature))}`;
}

export type HostTokenCheck =
  | { ok: true }
  | { ok: false; reason: 'malformed' | 'signature' | 'expired' | 'session' };

/**
 * Checks a host token for `sessionId`. The MAC is compared by `crypto.subtle.verify` (constant
 * time); the payload is only trusted after that.
 */
export async function verifyHostToken(
  secret: string,
  token: string,
  sessionId: string,
  now = Date.now(),
): Promise<HostTokenCheck> {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== 'v1' || token.length > 1024)
    return { ok: false, reason: 'malformed' };
  const [version, payloadText = '', signatureText = ''] = parts;
  const signature = fromBase64Url(signatureText);
  const payloadBytes = fromBase64Url(payloadText);
  if (!signature || !payloadBytes) return { ok: false, reason: 'malformed' };
  const valid = await crypto.subtle.verify(
    'HMAC',
    await hostKey(secret),
    signature,
    encoder.encode(`${version}.${payloadText}`),
  );
  if (!valid) return { ok: false, reason: 'signature' };
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(payloadBytes));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const payload = HostTokenPayloadSchema.safeParse(json);
  if (!payload.success) return { ok: false, reason: 'malformed' };
  if (payload.data.exp <= now) return { ok: false, reason: 'expired' };
  if (payload.data.sid !== sessionId) return { ok: false, reason: 'session' };
  return { ok: true };
}
