import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { TEST_TURN_URLS } from '../test/constants';
import { configurationProblems, type Env } from './env';
import { turnIceServers } from './turn';

describe('TURN credentials', () => {
  it('hands out no ICE servers when no TURN server is configured', async () => {
    expect(await turnIceServers({ TURN_URLS: '', TURN_SECRET: '' })).toEqual([]);
    expect(await turnIceServers({})).toEqual([]);
  });

  it('mints coturn REST credentials: expiry as the username, HMAC-SHA1 of it as the password', async () => {
    const now = Date.UTC(2026, 10, 24, 12, 0, 0);
    const [server] = await turnIceServers({ ...env, TURN_TTL_SECONDS: '3600' }, now);
    // Expected values computed apart (Python's hmac) for TEST_TURN_SECRET, as coturn checks them.
    expect(server).toEqual({
      urls: TEST_TURN_URLS,
      username: '1795525200:dmp-party',
      credential: 'pLquJqYHZ9S23E6r06zg+2G19io=',
    });
    const [defaultTtl] = await turnIceServers(env, now);
    expect(defaultTtl?.username).toBe(`${now / 1000 + 86_400}:dmp-party`);
  });

  it('names a malformed TURN_URLS or a short TURN_SECRET', () => {
    expect(configurationProblems({ ...env, TURN_URLS: 'https://turn.example.com' } as Env)).toEqual([
      'TURN_URLS must be comma-separated turn: or turns: URLs',
    ]);
    expect(configurationProblems({ ...env, TURN_SECRET: 'short' } as Env)).toEqual([
      'TURN_SECRET must be at least 32 characters when TURN_URLS is set',
    ]);
  });
});
