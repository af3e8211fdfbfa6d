import { describe, expect, it } from 'vitest';
import {
  importSigningKey,
  NONCE_HEADER,
  SIGNATURE_HEADER,
  signRequest,
  TIMESTAMP_HEADER,
  verifySignature,
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
});
