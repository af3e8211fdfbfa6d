/** A token bucket per socket: `ratePerSecond` sustained, twice that in a burst. */
export class RateLimiter {
  readonly #buckets = new WeakMap<object, { tokens: number; at: number }>();
  constructor(readonly ratePerSecond: number) {}

  allow(key: object, now = Date.now()): boolean {
    const capacity = this.ratePerSecond * 2;
    const bucket = this.#buckets.get(key) ?? { tokens: capacity, at: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.at) / 1000) * this.ratePerSecond);
    bucket.at = now;
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    this.#buckets.set(key, bucket);
    return allowed;
  }
}
