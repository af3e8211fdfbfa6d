import { POLICY_STRIKE_MEMORY_MS, policyPenaltyMs } from '@dmp-party/protocol';
import { describe, expect, it } from 'vitest';
import { PolicyBackoff } from './policy-backoff';

describe('waiting after a policy close', () => {
  it('waits at least the edge’s penalty for each strike, with some spread', () => {
    const backoff = new PolicyBackoff();
    expect(backoff.strike(0, 0)).toBe(policyPenaltyMs(1));
    expect(backoff.strike(10_000, 1)).toBe(policyPenaltyMs(2) * 1.25);
    expect(backoff.strike(30_000, 0.5)).toBe(policyPenaltyMs(3) * 1.125);
  });

  it('starts over once the last strike is long past, as the edge does', () => {
    const backoff = new PolicyBackoff();
    backoff.strike(0, 0);
    backoff.strike(1_000, 0);
    expect(backoff.strike(1_000 + POLICY_STRIKE_MEMORY_MS, 0)).toBe(policyPenaltyMs(1));
  });
});
