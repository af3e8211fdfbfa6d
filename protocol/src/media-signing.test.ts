import { describe, expect, it } from 'vitest';
import {
  importSigningKey,
  NONCE_HEADER,
  SIGNATURE_HEADER,
  SIGNATURE_WINDOW_MS,
  signRequest,
  TIMESTAMP_HEADER,
  verifySignature,
  verifySignedRequest,
} from './media-signing';

describe('media request signing', async () => {
  const key = await importSigningKey('k'.repeat(40));
  const other = await importSigningKey('j'.repeat(40));

  async function check(changes: { key?: CryptoKey; method?: string; path?: string; body?: string } = {}) {
    const headers = await signRequest(key, 'POST', '/v1/sessions', '{"sessionId":"abcdef"}');
    return verifySignature(
      changes.key ?? key,
      changes.method ?? 'POST',
      changes.path ?? '/v1/sessions',
      headers[TIMESTAMP_HEADER] ?? '',
      headers[NONCE_HEADER] ?? '',
      changes.body ?? '{"sessionId":"abcdef"}',
      headers[SIGNATURE_HEADER] ?? '',
    );
  }

  it('verifies what it signed', async () => {
    expect(await check()).toBe(true);
  });

  it('rejects any change to method, path, body or key', async () => {
    expect(await check({ method: 'DELETE' })).toBe(false);
    expect(await check({ path: '/v1/sessions?x=1' })).toBe(false);
    expect(await check({ body: '{"sessionId":"abcdeg"}' })).toBe(false);
    expect(await check({ key: other })).toBe(false);
  });

  it('rejects a malformed signature without throwing', async () => {
    expect(await verifySignature(key, 'GET', '/', '1', 'n', '', 'not-hex')).toBe(false);
  });

  it('verifies a whole request as a receiver: headers, freshness, signature', async () => {
    const body = '{"events":[]}';
    const signedAt = 1_000_000;
    const headers: Record<string, string> = await signRequest(key, 'POST', '/e', body, signedAt);
    const parts = (changes: Partial<Record<string, string>> = {}) => ({
      method: 'POST',
      path: '/e',
      body,
      header: (name: string) => ({ ...headers, ...changes })[name],
    });
    expect(await verifySignedRequest(key, parts(), signedAt + 1000)).toEqual({
      nonce: headers[NONCE_HEADER],
    });
    expect(await verifySignedRequest(key, parts(), signedAt + SIGNATURE_WINDOW_MS + 1)).toBeNull();
    expect(await verifySignedRequest(other, parts(), signedAt)).toBeNull();
    expect(await verifySignedRequest(key, parts({ [TIMESTAMP_HEADER]: 'soon' }), signedAt)).toBeNull();
    expect(await verifySignedRequest(key, parts({ [NONCE_HEADER]: 'n'.repeat(65) }), signedAt)).toBeNull();
    const { [SIGNATURE_HEADER]: _dropped, ...unsigned } = headers;
    expect(
      await verifySignedRequest(key, { ...parts(), header: (name) => unsigned[name] }, signedAt),
    ).toBeNull();
  });
});
