/**
 * How long the party socket waits after the edge closed it for flooding (1008), before it tries
 * again: at least the penalty the edge gives that strike (`policyPenaltyMs`, the protocol's one
 * schedule), plus up to a quarter more at random so that clients do not come back in step. A
 * well-behaved client is never refused; a buggy one that floods again waits twice as long.
 */
import { POLICY_STRIKE_MEMORY_MS, policyPenaltyMs } from '@dmp-party/protocol';

export class PolicyBackoff {
  #strikes = 0;
  #lastStrikeAt = Number.NEGATIVE_INFINITY;

  /** Records a policy close at `now`; returns how long to wait before reconnecting. */
  strike(now: number, random: number = Math.random()): number {
    this.#strikes = now - this.#lastStrikeAt < POLICY_STRIKE_MEMORY_MS ? this.#strikes + 1 : 1;
    this.#lastStrikeAt = now;
    return Math.round(policyPenaltyMs(this.#strikes) * (1 + 0.25 * random));
  }
}
