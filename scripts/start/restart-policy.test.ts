import { describe, expect, it } from 'vitest';
import { MAX_QUICK_RESTARTS, RestartPolicy, STABLE_MS } from './restart-policy';

describe('restarting a crashed service', () => {
  it('backs off while it keeps crashing soon after starting, then gives up', () => {
    const policy = new RestartPolicy();
    const delays = Array.from({ length: MAX_QUICK_RESTARTS }, () => policy.next(500));
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000]);
    expect(policy.next(500)).toBeNull();
  });

  it('starts the schedule over after a run that lasted', () => {
    const policy = new RestartPolicy();
    policy.next(500);
    policy.next(500);
    expect(policy.next(STABLE_MS)).toBe(1_000);
    expect(policy.next(100)).toBe(2_000);
  });
});
