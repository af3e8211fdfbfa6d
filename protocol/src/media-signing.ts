/**
 * Request signing between the edge and the media node, in both directions: the edge's calls to the
 * node's `/v1` API, and the node's events to the edge (`media-events.ts`). Both sides use Web
 * Crypto, so this module is shared. The signature is HMAC-SHA256 over
 * `method \n path \n timestamp \n nonce \n sha256(body)` with `MEDIA_NODE_SECRET`.
 */
export const SIGNATURE_HEADER = 'x-dmp-signature';
export const TIMESTAMP_HEADER = 'x-dmp-timestamp';
export const NONCE_HEADER = 'x-dmp-nonce';

/** A signed request older or newer than this (ms) is refused. */
export const SIGNATURE_WINDOW_MS = 30_000;

const encoder = new TextEncoder();

function toHex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

async function sha256Hex(body: string): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-256', encoder.encode(body)));
}

/** The exact bytes that get signed; `path` includes the query string. */
export async function canonicalRequest(
  method: string,
  path: string,
  timestamp: string,
  nonce: string,
  body: string,
): Promise<string> {
  return [method.toUpperCase(), path, timestamp, nonce, await sha256Hex(body)].join('\n');
}

export async function importSigningKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ]);
}

/** Headers to add to a request to the media node. */
export async function signRequest(
  key: CryptoKey,
  method: string,
  path: string,
  body: string,
  now = Date.now(),
): Promise<Record<string, string>> {
  const timestamp = String(now);
  const nonce = crypto.randomUUID();
  const message = await canonicalRequest(method, path, timestamp, nonce, body);
  const signature = toHex(await crypto.subtle.sign('HMAC', key, encoder.encode(message)));
  return { [SIGNATURE_HEADER]: signature, [TIMESTAMP_HEADER]: timestamp, [NONCE_HEADER]: nonce };
}

function fromHex(hex: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[0-9a-f]{64}$/.test(hex)) return undefined;
  const bytes = new Uint8Array(new ArrayBuffer(32));
  for (let i = 0; i < 32; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/**
 * Checks a signature. `crypto.subtle.verify` compares the MAC in constant time, so no byte-by-byte
 * comparison happens in JavaScript.
 */
export async function verifySignature(
  key: CryptoKey,
  method: string,
  path: string,
  timestamp: string,
  nonce: string,
  body: string,
  signatureHex: string,
): Promise<boolean> {
  const signature = fromHex(signatureHex);
  if (!signature) return false;
  const message = await canonicalRequest(method, path, timestamp, nonce, body);
  return crypto.subtle.verify('HMAC', key, signature, encoder.encode(message));
}

/** What `verifySignedRequest` needs of a request; `path` includes the query string. */
export interface SignedRequestParts {
  method: string;
  path: string;
  body: string;
  header(name: string): string | null | undefined;
}

/**
 * Checks a signed request as a receiver does: the three headers present and well-formed, the
 * timestamp inside `SIGNATURE_WINDOW_MS` of `now`, and a valid HMAC. Returns the nonce (for the
 * caller's replay check) or null; never says which check failed.
 */
export async function verifySignedRequest(
  key: CryptoKey,
  request: SignedRequestParts,
  now = Date.now(),
): Promise<{ nonce: string } | null> {
  const signature = request.header(SIGNATURE_HEADER);
  const timestamp = request.header(TIMESTAMP_HEADER);
  const nonce = request.header(NONCE_HEADER);
  if (!signature || !timestamp || !nonce || nonce.length > 64 || !/^\d{1,15}$/.test(timestamp)) return null;
  if (Math.abs(now - Number(timestamp)) > SIGNATURE_WINDOW_MS) return null;
  const valid = await verifySignature(
    key,
    request.method,
    request.path,
    timestamp,
    nonce,
    request.body,
    signature,
  );
  return valid ? { nonce } : null;
}
