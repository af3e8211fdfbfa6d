import { describe, expect, it } from 'vitest';
import { FINAL_CLOSE_CODES, MAX_POLICY_PENALTY_MS, policyPenaltyMs } from './party-socket';

describe('policy closes', () => {
  it('are not final: the client may come back after its penalty', () => {
    expect(FINAL_CLOSE_CODES.has(1008)).toBe(false);
  });

  it('double the penalty with each strike, up to the maximum', () => {
    expect([1, 2, 3].map(policyPenaltyMs)).toEqual([5_000, 10_000, 20_000]);
    expect(policyPenaltyMs(0)).toBe(5_000);
    expect(policyPenaltyMs(50)).toBe(MAX_POLICY_PENALTY_MS);
  });
});
