import { describe, expect, it } from 'vitest';
import { RateLimiter, type RateVerdict, SUSTAINED_SECONDS } from './rate-limiter';

/** Sends `count` messages `everyMs` apart from `start`; returns the verdicts. */
function send(
  limiter: RateLimiter,
  socket: object,
  count: number,
  everyMs: number,
  start = 0,
): RateVerdict[] {
  return Array.from({ length: count }, (_, i) => limiter.check(socket, start + i * everyMs));
}

describe('per-socket flood control', () => {
  it('allows a burst of twice the rate, then refuses, saying so once a second', () => {
    const verdicts = send(new RateLimiter(20), {}, 100, 0);
    expect(verdicts.slice(0, 40).every((verdict) => verdict === 'allow')).toBe(true);
    expect(verdicts.slice(40)).toEqual(['warn', ...Array(59).fill('drop')]);
  });

  it('never closes a client that stays a little over the rate', () => {
    // 30 messages a second for two minutes against a limit of 20.
    const verdicts = send(new RateLimiter(20), {}, 3600, 1000 / 30);
    expect(verdicts).not.toContain('close');
    expect(verdicts.filter((verdict) => verdict === 'warn').length).toBeGreaterThan(60);
  });

  it('closes a flood at once, then drops whatever it still sends', () => {
    const limiter = new RateLimiter(20);
    const flooder = {};
    const verdicts = send(limiter, flooder, 1000, 0.001);
    const closedAt = verdicts.indexOf('close');
    expect(closedAt).toBe(40 + 20 * SUSTAINED_SECONDS);
    expect(verdicts.slice(closedAt + 1).every((verdict) => verdict === 'drop')).toBe(true);
    // Other sockets keep their own buckets.
    expect(limiter.check({}, 1)).toBe('allow');
  });

  it('closes a client sending three times the rate after about ten seconds', () => {
    const verdicts = send(new RateLimiter(20), {}, 60 * 30, 1000 / 60);
    const closedAfterMs = (verdicts.indexOf('close') * 1000) / 60;
    expect(closedAfterMs).toBeGreaterThan(9_000);
    expect(closedAfterMs).toBeLessThan(12_000);
  });
});
