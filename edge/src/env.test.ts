import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { configurationProblems, type Env, partyLimits } from './env';
import { mediaNodeEntries } from './media-nodes';

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

  it('takes a list of media nodes, each optionally tagged with its continent', () => {
    const list = { ...env, MEDIA_NODE_URLS: 'EU=http://a.example:1/, http://b.example:2' } as Env;
    expect(configurationProblems(list)).toEqual([]);
    expect(mediaNodeEntries(list)).toEqual([
      { url: 'http://a.example:1', continent: 'EU' },
      { url: 'http://b.example:2', continent: undefined },
    ]);
    expect(mediaNodeEntries(env)).toEqual([
      { url: env.MEDIA_NODE_URL.replace(/\/$/, ''), continent: undefined },
    ]);
    const twice = { ...env, MEDIA_NODE_URLS: 'http://a.example,http://a.example' } as Env;
    expect(configurationProblems(twice)).toEqual(['MEDIA_NODE_URLS lists a media node twice']);
    const bad = { ...env, MEDIA_NODE_URLS: 'http://a.example,ftp://b' } as Env;
    expect(configurationProblems(bad)).toEqual([
      'MEDIA_NODE_URLS must be comma-separated http(s) URLs, each optionally prefixed with a continent (EU=…)',
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
