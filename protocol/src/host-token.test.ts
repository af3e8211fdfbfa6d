import { describe, expect, it } from 'vitest';
import { mintHostToken, verifyHostToken } from './host-token';

const SECRET = 'a-host-secret-that-is-long-enough-000';

describe('host tokens', () => {
  it('admits a fresh token for its session', async () => {
    const token = await mintHostToken(SECRET, 'party-1');
    expect(await verifyHostToken(SECRET, token, 'party-1')).toEqual({ ok: true });
  });

  it('refuses another session, an expired token, another secret and tampering', async () => {
    const now = 1_800_000_000_000;
    const token = await mintHostToken(SECRET, 'party-1', { ttlMs: 1000, now });
    expect(await verifyHostToken(SECRET, token, 'party-2', now)).toEqual({ ok: false, reason: 'session' });
    expect(await verifyHostToken(SECRET, token, 'party-1', now + 1000)).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(await verifyHostToken(`${SECRET}x`, token, 'party-1', now)).toEqual({
      ok: false,
      reason: 'signature',
    });
    const [version, , signature] = token.split('.');
    const forged = `${version}.${btoa(JSON.stringify({ sid: 'party-1', exp: now * 2 }))}.${signature}`;
    expect((await verifyHostToken(SECRET, forged, 'party-1', now)).ok).toBe(false);
    expect(await verifyHostToken(SECRET, 'not-a-token', 'party-1', now)).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });
});
