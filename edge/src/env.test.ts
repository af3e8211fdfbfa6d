import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { configurationProblems, type Env, partyLimits } from './env';

describe('edge configuration', () => {
  it('accepts the test deployment and names what a broken one lacks, without values', () => {
    expect(configurationProblems(env)).toEqual([]);
    const broken = { ...env, PARTY_HOST_SECRET: 'short', MEDIA_NODE_URL: '' } as Env;
    const problems = configurationProblems(broken);
    expect(problems).toEqual([
      'PARTY_HOST_SECRET must be at least 32 characters',
      'MEDIA_NODE_URL must be an http(s) URL',
    ]);
  });

  it('falls back to defaults for missing or malformed numbers', () => {
    expect(
      partyLimits({ ...env, LISTENER_CAP: 'lots', HOST_GRACE_SECONDS: '-1', RATE_LIMIT_PER_SECOND: '' }),
    ).toEqual({
      listenerCap: 5000,
      hostGraceMs: 60_000,
      messagesPerSecond: 20,
      mediaCheckMs: 10_000,
    });
  });
});
